package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;

/** A configuration value could not be used. */
public final class InvalidOptionException extends ContentException {
  public InvalidOptionException(String key, String value, String expected) {
    super(ErrorCategory.USER_ERROR,
        "Invalid value '" + value + "' for " + key + " (env " + ContentOptions.envName(key) + "): expected " + expected + ".",
        null);
  }
}
