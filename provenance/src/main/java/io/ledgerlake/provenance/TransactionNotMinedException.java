package io.ledgerlake.provenance;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.provenance.chain.PendingTransaction;
import io.ledgerlake.provenance.chain.TransactionState;
import java.util.Objects;

/**
 * A sent transaction will never execute: it was dropped from the node's pool ({@link TransactionState#NOT_FOUND})
 * or another transaction with its nonce was mined ({@link TransactionState#REPLACED}). Nothing it would have done
 * happened; the operation may be sent again after checking that the replacement did not do the same thing.
 */
public final class TransactionNotMinedException extends ProvenanceException {
  private final PendingTransaction pending;
  private final TransactionState state;

  public TransactionNotMinedException(PendingTransaction pending, TransactionState state) {
    super(
        ErrorCategory.EXTERNAL,
        Objects.requireNonNull(pending, "pending")
            + (state == TransactionState.REPLACED
                ? " was replaced: another transaction with the same nonce was mined; it will never execute"
                : " was dropped by the node before being mined; nothing was executed and it may be sent again"),
        null);
    this.pending = pending;
    this.state = Objects.requireNonNull(state, "state");
  }

  public PendingTransaction pending() {
    return pending;
  }

  public TransactionState state() {
    return state;
  }
}
