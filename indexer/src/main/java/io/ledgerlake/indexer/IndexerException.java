package io.ledgerlake.indexer;

import static java.util.Objects.requireNonNull;

/**
 * Base of every failure the indexer reports. The category tells the caller who must act; the CLI prints
 * {@link Category#USER_ERROR} messages as one line without a stack trace.
 */
public abstract class IndexerException extends RuntimeException implements io.ledgerlake.common.Categorized {
  /** Who has to act on the failure. */
  public enum Category {
    /** Bad input or configuration: fix it and retry. */
    USER_ERROR,
    /** The node or the catalog failed: retry later. */
    EXTERNAL,
    /** A bug or a broken invariant in LedgerLake. */
    INTERNAL
  }

  private final Category category;

  protected IndexerException(Category category, String message, Throwable cause) {
    super(message, cause);
    this.category = requireNonNull(category, "category");
  }

  public Category category() {
    return category;
  }

  @Override
  public io.ledgerlake.common.ErrorCategory errorCategory() {
    return io.ledgerlake.common.ErrorCategory.valueOf(category().name());
  }
}
