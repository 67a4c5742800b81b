package io.ledgerlake.provenance.model;

/** Role recorded in a contribution receipt; the code is the value stored on chain. */
public enum ContributorRole {
  DATA_PROVIDER,
  ANNOTATOR,
  REVIEWER,
  MODEL_TRAINER,
  OWNER;

  public int code() {
    return ordinal();
  }

  public static ContributorRole fromCode(int code) {
    ContributorRole[] all = values();
    if (code < 0 || code >= all.length) {
      throw new IllegalArgumentException("Unknown contributor role code " + code);
    }
    return all[code];
  }
}
