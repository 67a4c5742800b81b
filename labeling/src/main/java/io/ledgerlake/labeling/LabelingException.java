package io.ledgerlake.labeling;

import io.ledgerlake.common.ErrorCategory;
import java.util.Objects;

/**
 * Base of the labeling module's unchecked exceptions. Each subclass is one failure kind with a fixed category, so
 * callers (HTTP layer, CLI) can map it to a status without parsing messages.
 */
public abstract class LabelingException extends RuntimeException implements io.ledgerlake.common.Categorized {
  private final ErrorCategory category;

  protected LabelingException(ErrorCategory category, String message, Throwable cause) {
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
