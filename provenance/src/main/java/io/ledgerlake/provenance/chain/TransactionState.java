package io.ledgerlake.provenance.chain;

/** What the node says about a {@link PendingTransaction} when asked by hash and nonce. */
public enum TransactionState {
  /** Mined and succeeded. */
  MINED_SUCCESS,
  /** Mined and reverted: it cost gas and changed nothing. */
  MINED_REVERTED,
  /** Known to the node, not mined yet: wait, do not resend anything else. */
  PENDING,
  /** Another transaction with the same nonce was mined: this one can never execute. */
  REPLACED,
  /** Unknown to the node and its nonce is still unused: it never arrived or was dropped; rebroadcast it. */
  NOT_FOUND
}
