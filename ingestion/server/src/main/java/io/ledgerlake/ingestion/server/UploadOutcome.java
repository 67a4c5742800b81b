package io.ledgerlake.ingestion.server;

import static java.util.Objects.requireNonNull;

/**
 * Result of an upload: a new submission (202) or a duplicate of an earlier one in the same dataset (200).
 *
 * @param submissionId the new submission, or for a duplicate the submission that first brought this content
 */
public record UploadOutcome(String submissionId, String datasetId, String cid, long byteCount, boolean duplicate) {
  public UploadOutcome {
    requireNonNull(submissionId, "submissionId");
    requireNonNull(datasetId, "datasetId");
    requireNonNull(cid, "cid");
  }
}
