package io.ledgerlake.provenance;

import io.ledgerlake.common.ErrorCategory;

/**
 * The node could not be reached or answered with an error before anything was sent. Nothing happened on chain:
 * retrying is safe.
 */
public final class ChainUnavailableException extends ProvenanceException {
  public ChainUnavailableException(String message, Throwable cause) {
    super(ErrorCategory.EXTERNAL, message, cause);
  }
}
