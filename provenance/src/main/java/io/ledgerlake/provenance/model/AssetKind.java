package io.ledgerlake.provenance.model;

/** Kind of an AI asset; the code is the value stored on chain. */
public enum AssetKind {
  DATASET,
  MODEL,
  RAG_INDEX,
  OTHER;

  public int code() {
    return ordinal();
  }

  public static AssetKind fromCode(int code) {
    AssetKind[] all = values();
    if (code < 0 || code >= all.length) {
      throw new IllegalArgumentException("Unknown asset kind code " + code + " (expected 0.." + (all.length - 1) + ")");
    }
    return all[code];
  }
}
