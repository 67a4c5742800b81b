package io.ledgerlake.ingestion;

import io.ledgerlake.common.ErrorCategory;

/** The declared content type or file name does not match any format the dataset accepts. */
public final class UnsupportedFormatException extends IngestionException {
  public UnsupportedFormatException(String message) {
    super(ErrorCategory.USER_ERROR, "UNSUPPORTED_MEDIA_TYPE", message, null);
  }
}
