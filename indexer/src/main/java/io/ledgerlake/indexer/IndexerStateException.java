package io.ledgerlake.indexer;

/** The indexer's persisted state (cursor, tables) is not what this build can continue from. */
public final class IndexerStateException extends IndexerException {
  public IndexerStateException(String message, Throwable cause) {
    super(Category.INTERNAL, message, cause);
  }
}
