package io.ledgerlake.provenance;

import io.ledgerlake.common.ErrorCategory;

/** The local anvil chain could not be started, reached or stopped. */
public final class LocalChainException extends ProvenanceException {
  public LocalChainException(String message, Throwable cause) {
    super(ErrorCategory.EXTERNAL, message, cause);
  }
}
