package io.ledgerlake.provenance;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.provenance.chain.PendingTransaction;
import java.util.Objects;

/**
 * A transaction was handed to the node but whether it executed is unknown (the node went away, timed out, or
 * did not answer). Never send the operation again: ask for the {@link #pending()} transaction's state by hash and
 * nonce ({@code ProvenanceClient.checkTransaction}) and, if it is not found, rebroadcast the same signed bytes
 * ({@code ProvenanceClient.resume}). Until then the client refuses new transactions from the same account.
 */
public final class TransactionOutcomeUnknownException extends ProvenanceException {
  private final PendingTransaction pending;

  public TransactionOutcomeUnknownException(PendingTransaction pending, String reason, Throwable cause) {
    super(
        ErrorCategory.EXTERNAL,
        "Outcome unknown for " + Objects.requireNonNull(pending, "pending") + ": " + reason
            + ". Do not send it again: check it by hash (ProvenanceClient.checkTransaction) and, if the node "
            + "does not know it, rebroadcast the same signed transaction (ProvenanceClient.resume)",
        cause);
    this.pending = pending;
  }

  public PendingTransaction pending() {
    return pending;
  }
}
