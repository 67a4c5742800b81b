package io.ledgerlake.ingestion;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;

/**
 * Base of every ingestion failure. Each subclass is one failure kind with a fixed {@link ErrorCategory} and a
 * stable machine-readable {@link #code()}; the message says what failed, on which value, and what to do.
 */
public abstract class IngestionException extends RuntimeException implements io.ledgerlake.common.Categorized {
  private final ErrorCategory category;
  private final String code;

  protected IngestionException(ErrorCategory category, String code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.category = requireNonNull(category, "category");
    this.code = requireNonNull(code, "code");
  }

  public ErrorCategory category() {
    return category;
  }

  @Override
  public ErrorCategory errorCategory() {
    return category();
  }

  /** Stable upper-snake-case code, used in HTTP error bodies and rejection tables. */
  public String code() {
    return code;
  }
}
