package io.ledgerlake.labeling;

import io.ledgerlake.common.ErrorCategory;

/** A resource that ships with the labeling jar (model, word list, lexicon) is missing or malformed: a packaging bug. */
public final class ResourceLoadException extends LabelingException {
  public ResourceLoadException(String message, Throwable cause) {
    super(ErrorCategory.INTERNAL, message, cause);
  }
}
