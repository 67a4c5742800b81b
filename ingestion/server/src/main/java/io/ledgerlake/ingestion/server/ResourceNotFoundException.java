package io.ledgerlake.ingestion.server;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/** A dataset, submission or upload id that does not exist (404). */
public final class ResourceNotFoundException extends IngestionException {
  public ResourceNotFoundException(String message) {
    super(ErrorCategory.USER_ERROR, "NOT_FOUND", message, null);
  }
}
