package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;
import java.io.IOException;

/** The filesystem (or a stream) failed underneath us. */
public final class ContentIoException extends ContentException {
  public ContentIoException(String action, Object target, IOException cause) {
    super(ErrorCategory.EXTERNAL,
        "Could not " + action + " " + target + ": " + cause
            + ". Check that the path exists, is readable/writable and the disk is not full.",
        cause);
  }
}
