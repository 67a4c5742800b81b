package io.ledgerlake.provenance;

import io.ledgerlake.common.ErrorCategory;

/**
 * The node refused a transaction outright (insufficient funds for gas, fee too low, bad signature or chain id...).
 * Nothing was executed: fix the cause and send again.
 */
public final class TransactionRejectedException extends ProvenanceException {
  public TransactionRejectedException(String message) {
    super(ErrorCategory.USER_ERROR, message, null);
  }
}
