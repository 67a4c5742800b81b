package io.ledgerlake.labeling;

import io.ledgerlake.common.ErrorCategory;

/**
 * An annotation or review conflicts with what is already recorded: the same id replayed with a different payload, or an
 * answer for a record that was never assigned to that annotator. Retrying the same request will fail the same way.
 */
public final class AnnotationConflictException extends LabelingException {
  public AnnotationConflictException(String message) {
    super(ErrorCategory.USER_ERROR, message, null);
  }
}
