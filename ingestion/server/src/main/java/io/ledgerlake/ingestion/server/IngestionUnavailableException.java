package io.ledgerlake.ingestion.server;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/** The upload cannot be ingested now (the ingestion job is not running): 503, nothing read or stored. */
public final class IngestionUnavailableException extends IngestionException {
  public IngestionUnavailableException(String message) {
    super(ErrorCategory.EXTERNAL, "INGESTION_UNAVAILABLE", message, null);
  }
}
