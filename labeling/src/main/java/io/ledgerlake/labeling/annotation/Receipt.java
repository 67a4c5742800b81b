package io.ledgerlake.labeling.annotation;

import java.util.Objects;

/** Result of a write: the stored value and whether this call was a replay of an earlier, identical one. */
public record Receipt<T>(T value, boolean replayed) {
  public Receipt {
    Objects.requireNonNull(value, "value");
  }
}
