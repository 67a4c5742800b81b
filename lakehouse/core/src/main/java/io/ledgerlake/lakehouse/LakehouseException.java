package io.ledgerlake.lakehouse;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;

/**
 * A failure in the lakehouse layer, with a category that tells the caller who must act.
 *
 * <p>Messages say what failed, on which value, and what to do. The CLI prints {@link
 * ErrorCategory#USER_ERROR} messages as one line and exits 2; other categories exit 1.
 */
public class LakehouseException extends RuntimeException implements io.ledgerlake.common.Categorized {
  private final ErrorCategory category;

  public LakehouseException(ErrorCategory category, String format, Object... args) {
    super(String.format(format, args));
    this.category = requireNonNull(category, "category");
  }

  public LakehouseException(ErrorCategory category, Throwable cause, String format, Object... args) {
    super(String.format(format, args), cause);
    this.category = requireNonNull(category, "category");
  }

  public ErrorCategory category() {
    return category;
  }

  @Override
  public ErrorCategory errorCategory() {
    return category;
  }
}
