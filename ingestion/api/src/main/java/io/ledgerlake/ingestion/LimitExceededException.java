package io.ledgerlake.ingestion;

import io.ledgerlake.common.ErrorCategory;

/** A configured size/count/ratio limit was exceeded (archive expansion, upload size, quota). */
public final class LimitExceededException extends IngestionException {
  private final String limitKey;

  public LimitExceededException(String code, String limitKey, String message) {
    super(ErrorCategory.USER_ERROR, code, message, null);
    this.limitKey = limitKey;
  }

  /** The {@link IngestionOptions} key of the limit that was hit, so operators know what to raise. */
  public String limitKey() {
    return limitKey;
  }
}
