package io.ledgerlake.lakehouse;

import static java.util.Objects.requireNonNull;

/**
 * A failure in the lakehouse layer, with a category that tells the caller who must act.
 *
 * <p>Messages say what failed, on which value, and what to do. The CLI prints {@link
 * Category#USER_ERROR} messages as one line and exits 2; other categories exit 1.
 */
public class LakehouseException extends RuntimeException implements io.ledgerlake.common.Categorized {
  /** Who has to act on the failure. */
  public enum Category {
    /** The caller gave bad input or configuration; fix it and retry. */
    USER_ERROR,
    /** Something outside LedgerLake failed (disk, catalog service, another process). */
    EXTERNAL,
    /** A bug or broken invariant in LedgerLake. */
    INTERNAL
  }

  private final Category category;

  public LakehouseException(Category category, String format, Object... args) {
    super(String.format(format, args));
    this.category = requireNonNull(category, "category");
  }

  public LakehouseException(Category category, Throwable cause, String format, Object... args) {
    super(String.format(format, args), cause);
    this.category = requireNonNull(category, "category");
  }

  public Category category() {
    return category;
  }

  @Override
  public io.ledgerlake.common.ErrorCategory errorCategory() {
    return io.ledgerlake.common.ErrorCategory.valueOf(category.name());
  }
}
