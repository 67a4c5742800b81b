package io.ledgerlake.content.car;

import java.util.Locale;

/** Which blocks of a DAG a CAR carries (the trustless-gateway {@code dag-scope} parameter). */
public enum DagScope {
  /** Every block reachable from the root. */
  ALL,
  /** Enough to read the root entity: a whole file, or a directory's own node(s) without its children. */
  ENTITY,
  /** Only the root block. */
  BLOCK;

  public static DagScope parse(String value) {
    for (DagScope s : values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown dag-scope '" + value + "'; use all, entity or block");
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
