package io.ledgerlake.ingestion.kafka;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/**
 * The submission log (Kafka) did not acknowledge an append or could not be reached. External (HTTP 503): the upload's
 * content is stored, so the client may retry; a retry of the same content is reported as a duplicate only after an
 * append succeeded.
 */
public final class SubmissionLogException extends IngestionException {
  public SubmissionLogException(String message, Throwable cause) {
    super(ErrorCategory.EXTERNAL, "SUBMISSION_LOG_UNAVAILABLE", message, cause);
  }
}
