package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;

/** A CID profile name that is not one of the IPIP-499 profiles we implement. */
public final class UnknownProfileException extends ContentException {
  public UnknownProfileException(String value, String known) {
    super(ErrorCategory.USER_ERROR,
        "Unknown CID profile '" + value + "'. Use one of: " + known + ".", null);
  }
}
