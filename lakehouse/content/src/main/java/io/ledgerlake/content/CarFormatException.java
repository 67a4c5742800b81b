package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;

/** A CAR file is malformed, truncated, or holds a block that does not match its CID. Nothing was imported. */
public final class CarFormatException extends ContentException {
  public CarFormatException(String source, String detail) {
    super(ErrorCategory.USER_ERROR,
        "Rejected CAR " + source + ": " + detail + ". Nothing was imported; obtain an intact CAR v1 file and retry.",
        null);
  }
}
