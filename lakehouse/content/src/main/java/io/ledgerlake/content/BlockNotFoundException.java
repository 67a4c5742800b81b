package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;

/** A block that the caller asked for (or that a DAG links to) is not in the store. */
public final class BlockNotFoundException extends ContentException {
  private final String cid;

  public BlockNotFoundException(String cid, String where) {
    super(ErrorCategory.USER_ERROR,
        "Block " + cid + " is not in the content store at " + where
            + ". Add the content first (ledgerlake add) or import a CAR that contains it.",
        null);
    this.cid = cid;
  }

  public String cid() {
    return cid;
  }
}
