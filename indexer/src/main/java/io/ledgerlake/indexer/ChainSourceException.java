package io.ledgerlake.indexer;

import io.ledgerlake.common.ErrorCategory;

/**
 * A node request failed. {@link #rangeTooLarge()} is true when the node refused an eth_getLogs range as too
 * large or timed out on it: the indexer retries with a smaller range.
 */
public final class ChainSourceException extends IndexerException {
  private final boolean rangeTooLarge;

  public ChainSourceException(String message, boolean rangeTooLarge, Throwable cause) {
    super(ErrorCategory.EXTERNAL, message, cause);
    this.rangeTooLarge = rangeTooLarge;
  }

  public boolean rangeTooLarge() {
    return rangeTooLarge;
  }
}
