package io.ledgerlake.indexer;

import io.ledgerlake.common.ErrorCategory;

/** The indexer's persisted state (cursor, tables) is not what this build can continue from. */
public final class IndexerStateException extends IndexerException {
  public IndexerStateException(String message, Throwable cause) {
    super(ErrorCategory.INTERNAL, message, cause);
  }
}
