package io.ledgerlake.ingestion.client;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/** The server answered with an error ({@code {code, message}}) or could not be reached. */
public final class IngestionClientException extends IngestionException {
  private final int status;

  public IngestionClientException(int status, String code, String message, Throwable cause) {
    super(status >= 400 && status < 500 ? ErrorCategory.USER_ERROR : ErrorCategory.EXTERNAL, code, message, cause);
    this.status = status;
  }

  /** HTTP status, or 0 when the server could not be reached. */
  public int status() {
    return status;
  }
}
