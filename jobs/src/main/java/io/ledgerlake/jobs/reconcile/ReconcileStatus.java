package io.ledgerlake.jobs.reconcile;

/** Outcome of one reconciled item; everything but {@link #MATCH} is a discrepancy. */
public enum ReconcileStatus {
  MATCH,
  /** The lakehouse has a published version (or publish run) that the chain does not know. */
  MISSING_ON_CHAIN,
  /** The chain has a version whose lakehouse tag (or publish run) is gone. */
  MISSING_IN_LAKEHOUSE,
  /** The manifest root recomputed from the tagged records differs from the on-chain commitment. */
  ROOT_MISMATCH,
  /** The receipts on chain differ from the shares recomputed from the tagged records. */
  SHARES_MISMATCH,
  /** A settlement charged a number of calls that is not the number of metered usage rows. */
  CALLS_MISMATCH,
  /** Content named by a CID cannot be found in the content store. */
  CONTENT_MISSING,
  /** Bytes do not hash to the CID that names them. */
  CONTENT_CORRUPT;

  public boolean discrepancy() {
    return this != MATCH;
  }
}
