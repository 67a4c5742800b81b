package io.ledgerlake.ingestion.server;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;
import java.time.Duration;

/** A contributor exceeded the upload rate or the daily byte quota (429, with Retry-After). */
public final class RateLimitException extends IngestionException {
  private final Duration retryAfter;

  public RateLimitException(String code, String message, Duration retryAfter) {
    super(ErrorCategory.USER_ERROR, code, message, null);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
