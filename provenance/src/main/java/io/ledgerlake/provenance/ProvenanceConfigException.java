package io.ledgerlake.provenance;

import io.ledgerlake.common.ErrorCategory;

/** A configuration value (option, key file, deployment file) is missing or invalid. */
public final class ProvenanceConfigException extends ProvenanceException {
  public ProvenanceConfigException(String message) {
    super(ErrorCategory.USER_ERROR, message, null);
  }

  public ProvenanceConfigException(String message, Throwable cause) {
    super(ErrorCategory.USER_ERROR, message, cause);
  }
}
