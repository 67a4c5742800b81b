package io.ledgerlake.indexer;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;

/**
 * Base of every failure the indexer reports. The category tells the caller who must act; the CLI prints
 * {@link ErrorCategory#USER_ERROR} messages as one line without a stack trace.
 */
public abstract class IndexerException extends RuntimeException implements io.ledgerlake.common.Categorized {
  private final ErrorCategory category;

  protected IndexerException(ErrorCategory category, String message, Throwable cause) {
    super(message, cause);
    this.category = requireNonNull(category, "category");
  }

  public ErrorCategory category() {
    return category;
  }

  @Override
  public ErrorCategory errorCategory() {
    return category();
  }
}
