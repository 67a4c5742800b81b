package io.ledgerlake.labeling;

/** Who has to act on a failure: the caller (4xx-like), an outside system (502/503-like), or us (500-like). */
public enum ErrorCategory {
  USER_ERROR,
  EXTERNAL,
  INTERNAL
}
