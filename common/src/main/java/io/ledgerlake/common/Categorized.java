package io.ledgerlake.common;

/** Implemented by every module's base exception, so callers decide by category without knowing the module. */
public interface Categorized {
  ErrorCategory errorCategory();
}
