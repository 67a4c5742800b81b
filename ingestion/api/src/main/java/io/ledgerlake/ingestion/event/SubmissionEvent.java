package io.ledgerlake.ingestion.event;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.dataset.Addresses;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import java.time.Instant;

/**
 * Appended to the submission log once an upload's content is durable: everything the ingestion job needs to process
 * the submission without calling back into the API (including the dataset schema in force when it was accepted).
 * Encoded by {@link SubmissionEventSerializer}; keyed by dataset id on Kafka so one dataset's submissions stay ordered.
 *
 * @param contentType the normalized media type the upload declared (a format's type, or zip/tar)
 * @param fileName the client's file name, or "" when not given
 */
public record SubmissionEvent(
    String submissionId,
    String datasetId,
    String contributor,
    String cid,
    long byteCount,
    DataFormat format,
    String contentType,
    String fileName,
    Instant receivedAt,
    DatasetSchema schema) {

  public SubmissionEvent {
    requireNonNull(submissionId, "submissionId");
    requireNonNull(datasetId, "datasetId");
    contributor = Addresses.normalize(contributor);
    requireNonNull(cid, "cid");
    requireNonNull(format, "format");
    requireNonNull(contentType, "contentType");
    requireNonNull(fileName, "fileName");
    requireNonNull(receivedAt, "receivedAt");
    requireNonNull(schema, "schema");
    if (byteCount < 0) {
      throw new IllegalArgumentException("byteCount must not be negative: " + byteCount);
    }
  }
}
