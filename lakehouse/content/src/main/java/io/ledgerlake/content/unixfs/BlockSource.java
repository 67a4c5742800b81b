package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.multiformats.Cid;

/** Where readers get blocks from. Implementations return only bytes verified against the CID. */
@FunctionalInterface
public interface BlockSource {
  /**
   * @throws io.ledgerlake.content.BlockNotFoundException if absent
   * @throws io.ledgerlake.content.BlockIntegrityException if the stored bytes do not match the CID
   */
  byte[] get(Cid cid);
}
