package io.ledgerlake.ingestion;

import io.ledgerlake.common.ErrorCategory;

/**
 * Bytes on the submission log cannot be decoded: an unknown version (written by a newer release) or corrupt data.
 * Internal: our own writers produced it, so an operator must upgrade the reader or inspect the log.
 */
public final class EventFormatException extends IngestionException {
  public EventFormatException(String message, Throwable cause) {
    super(ErrorCategory.INTERNAL, "EVENT_FORMAT", message, cause);
  }
}
