package io.ledgerlake.content.kubo;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.ContentException;

/** The Kubo node could not be reached, refused a request, or answered something we cannot use. */
public final class KuboException extends ContentException {
  public KuboException(String what, String detail, Throwable cause) {
    super(ErrorCategory.EXTERNAL, "Kubo " + what + " failed: " + detail
        + ". Check that the node is running and " + "ledgerlake.content.kubo.url points at its RPC API (e.g. http://127.0.0.1:5001).",
        cause);
  }
}
