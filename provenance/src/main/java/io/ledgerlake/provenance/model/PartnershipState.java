package io.ledgerlake.provenance.model;

/** State of a partnership request on chain. */
public enum PartnershipState {
  NONE,
  REQUESTED,
  APPROVED;

  public static PartnershipState fromCode(int code) {
    return values()[code];
  }
}
