package io.ledgerlake.indexer;

/** A {@code ledgerlake.indexer.*} option has an invalid value. */
public final class IndexerConfigException extends IndexerException {
  public IndexerConfigException(String message) {
    super(Category.USER_ERROR, message, null);
  }
}
