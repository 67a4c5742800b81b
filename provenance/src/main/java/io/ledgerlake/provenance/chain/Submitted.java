package io.ledgerlake.provenance.chain;

import io.ledgerlake.provenance.model.TxInfo;
import java.util.Objects;

/** The result of a confirmed transaction together with the transaction. */
public record Submitted<T>(T value, TxInfo tx) {
  public Submitted {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(tx, "tx");
  }
}
