package io.ledgerlake.provenance.model;

/** How a version's receipts are recorded: not yet, one token per contributor, or a Merkle root. */
public enum ReceiptMode {
  NONE,
  DIRECT,
  MERKLE;

  public static ReceiptMode fromCode(int code) {
    return values()[code];
  }
}
