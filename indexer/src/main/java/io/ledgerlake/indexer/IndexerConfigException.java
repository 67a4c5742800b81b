package io.ledgerlake.indexer;

import io.ledgerlake.common.ErrorCategory;

/** A {@code ledgerlake.indexer.*} option has an invalid value. */
public final class IndexerConfigException extends IndexerException {
  public IndexerConfigException(String message) {
    super(ErrorCategory.USER_ERROR, message, null);
  }
}
