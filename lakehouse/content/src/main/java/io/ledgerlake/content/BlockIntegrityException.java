package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;

/**
 * Bytes do not hash to the CID they claim to be. Wrong bytes are never returned or stored: the
 * operation stops here.
 */
public final class BlockIntegrityException extends ContentException {
  private final String cid;

  public BlockIntegrityException(String cid, String detail, String remedy) {
    super(ErrorCategory.INTERNAL, "Integrity check failed for block " + cid + ": " + detail + ". " + remedy, null);
    this.cid = cid;
  }

  /** A block read back from the store no longer matches its CID. */
  public static BlockIntegrityException corruptOnDisk(String cid, Object where) {
    return new BlockIntegrityException(cid, "the stored bytes at " + where + " do not hash to this CID",
        "The stored copy is corrupt: delete it and re-import the content (add the file again or import a CAR).");
  }

  public String cid() {
    return cid;
  }
}
