package io.ledgerlake.ingestion;

import io.ledgerlake.common.ErrorCategory;

/** A dataset schema definition is malformed, or cannot be inferred from the first upload. */
public final class InvalidSchemaException extends IngestionException {
  public InvalidSchemaException(String message) {
    super(ErrorCategory.USER_ERROR, "INVALID_SCHEMA", message, null);
  }
}
