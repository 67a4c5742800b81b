package io.ledgerlake.ingestion.server;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/** Signed in, but not allowed to do this (403): not on a dataset's allowlist, or not its owner. */
public final class AccessDeniedException extends IngestionException {
  public AccessDeniedException(String message) {
    super(ErrorCategory.USER_ERROR, "FORBIDDEN", message, null);
  }
}
