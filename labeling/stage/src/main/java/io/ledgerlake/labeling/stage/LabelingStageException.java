package io.ledgerlake.labeling.stage;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.LabelingException;

/**
 * The labeling stage could not read, label or commit: a concurrent writer moved {@code label.labels} (EXTERNAL, retry),
 * the cursor points at a records snapshot that no longer exists (INTERNAL), or a checkpointed state file is missing.
 */
public final class LabelingStageException extends LabelingException {
  public LabelingStageException(ErrorCategory category, String message, Throwable cause) {
    super(category, message, cause);
  }

  public LabelingStageException(ErrorCategory category, String message) {
    super(category, message, null);
  }
}
