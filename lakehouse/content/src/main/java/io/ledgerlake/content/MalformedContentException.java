package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;

/** Bytes that should be dag-pb / UnixFS / CAR (or an unsupported variant of them) could not be decoded. */
public final class MalformedContentException extends ContentException {
  public MalformedContentException(String what, String detail) {
    super(ErrorCategory.USER_ERROR, what + ": " + detail, null);
  }
}
