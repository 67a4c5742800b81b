package io.ledgerlake.labeling;

import io.ledgerlake.common.ErrorCategory;

/** A caller passed a value the labeling core cannot accept (bad argument, unknown dataset, answer outside the schema). */
public final class InvalidLabelingInputException extends LabelingException {
  public InvalidLabelingInputException(String message) {
    super(ErrorCategory.USER_ERROR, message, null);
  }

  /** Guava-style argument check with a {@code %s} template evaluated only on failure. */
  public static void check(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new InvalidLabelingInputException(String.format(template, args));
    }
  }
}
