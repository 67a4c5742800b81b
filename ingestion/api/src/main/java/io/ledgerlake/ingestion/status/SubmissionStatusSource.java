package io.ledgerlake.ingestion.status;

import java.util.Optional;

/**
 * Where the status API learns how far a submission got. The lakehouse module will implement this by reading
 * {@code ingest.submissions}; until then the server only knows "received".
 */
@FunctionalInterface
public interface SubmissionStatusSource {
  Optional<SubmissionProgress> progress(String submissionId);

  static SubmissionStatusSource none() {
    return id -> Optional.empty();
  }
}
