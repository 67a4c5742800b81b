package io.ledgerlake.ingestion.server;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/** A malformed request: missing field, unparsable JSON, wrong header (400). */
public final class BadRequestException extends IngestionException {
  public BadRequestException(String message) {
    super(ErrorCategory.USER_ERROR, "BAD_REQUEST", message, null);
  }
}
