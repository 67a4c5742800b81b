package io.ledgerlake.ingestion.server;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/** A resumable upload's offset does not match what the server has (409). */
public final class ConflictException extends IngestionException {
  public ConflictException(String message) {
    super(ErrorCategory.USER_ERROR, "CONFLICT", message, null);
  }
}
