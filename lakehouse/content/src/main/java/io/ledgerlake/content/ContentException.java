package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;
import java.util.Objects;

/**
 * Base of every failure raised by the content module. Each subclass is one failure kind with a
 * fixed {@link ErrorCategory}; messages say what failed, on which value, and what to do.
 */
public abstract class ContentException extends RuntimeException implements io.ledgerlake.common.Categorized {
  private final ErrorCategory category;

  protected ContentException(ErrorCategory category, String message, Throwable cause) {
    super(message, cause);
    this.category = Objects.requireNonNull(category, "category");
  }

  public ErrorCategory category() {
    return category;
  }

  @Override
  public ErrorCategory errorCategory() {
    return category();
  }
}
