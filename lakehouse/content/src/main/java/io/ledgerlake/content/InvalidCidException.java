package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;

/** A string or byte sequence is not a valid CID. */
public final class InvalidCidException extends ContentException {
  public InvalidCidException(String value, String reason) {
    super(ErrorCategory.USER_ERROR,
        "Invalid CID '" + abbreviate(value) + "': " + reason
            + ". Give a CIDv0 (46 characters starting with 'Qm') or a multibase CIDv1 such as 'bafy...' or 'bafk...'.",
        null);
  }

  private static String abbreviate(String value) {
    if (value == null) {
      return "null";
    }
    return value.length() > 120 ? value.substring(0, 117) + "..." : value;
  }
}
