package io.ledgerlake.provenance;

/** Who has to act on a failure: the caller (bad input), an outside system (node, network), or us (a bug). */
public enum ErrorCategory {
  USER_ERROR,
  EXTERNAL,
  INTERNAL
}
