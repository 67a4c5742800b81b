package io.ledgerlake.labeling;

import io.ledgerlake.common.ErrorCategory;

/** A serialized labeler state (checkpoint) cannot be read: unknown version, wrong magic, truncated or inconsistent. */
public final class StateFormatException extends LabelingException {
  public StateFormatException(String message, Throwable cause) {
    super(ErrorCategory.INTERNAL, message, cause);
  }

  public StateFormatException(String message) {
    this(message, null);
  }
}
