package io.ledgerlake.provenance;

import io.ledgerlake.common.ErrorCategory;
import java.util.Objects;

/** Base of every failure the provenance module reports; subclasses name one failure kind each. */
public abstract class ProvenanceException extends RuntimeException implements io.ledgerlake.common.Categorized {
  private final ErrorCategory category;

  protected ProvenanceException(ErrorCategory category, String message, Throwable cause) {
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
