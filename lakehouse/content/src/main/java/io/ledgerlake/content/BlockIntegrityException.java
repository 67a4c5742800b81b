package io.ledgerlake.content;

/**
 * Stored bytes do not hash to the CID they are filed under. Wrong bytes are never returned: the
 * read stops here. The block store (or the disk under it) is damaged.
 */
public final class BlockIntegrityException extends ContentException {
  private final String cid;

  public BlockIntegrityException(String cid, String detail) {
    super(ErrorCategory.INTERNAL,
        "Integrity check failed for block " + cid + ": " + detail
            + ". The stored copy is corrupt; delete it and re-import the content (add the file again or import a CAR).",
        null);
    this.cid = cid;
  }

  public String cid() {
    return cid;
  }
}
