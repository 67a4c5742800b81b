package io.ledgerlake.ingestion;

import io.ledgerlake.common.ErrorCategory;

/**
 * A whole upload cannot be parsed (truncated Parquet, unsafe archive entry, not the declared container format).
 * Unlike a per-record rejection, this rejects the submission as a whole: nothing of it may become visible.
 */
public final class InvalidContentException extends IngestionException {
  public InvalidContentException(String code, String message) {
    super(ErrorCategory.USER_ERROR, code, message, null);
  }

  public InvalidContentException(String code, String message, Throwable cause) {
    super(ErrorCategory.USER_ERROR, code, message, cause);
  }
}
