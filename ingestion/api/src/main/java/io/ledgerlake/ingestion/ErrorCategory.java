package io.ledgerlake.ingestion;

/**
 * Who has to act on a failure: the caller (4xx), an external system we depend on (502/503), or us (500).
 */
public enum ErrorCategory {
  USER_ERROR,
  EXTERNAL,
  INTERNAL
}
