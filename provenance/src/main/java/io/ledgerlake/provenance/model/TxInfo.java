package io.ledgerlake.provenance.model;

import java.util.Objects;

/** A mined, successful and confirmed transaction. */
public record TxInfo(String hash, long blockNumber, long gasUsed) {
  public TxInfo {
    Objects.requireNonNull(hash, "hash");
  }
}
