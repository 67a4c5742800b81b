package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.MalformedContentException;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import java.util.ArrayList;
import java.util.List;

/** Codec-level helpers shared by pinning, garbage collection, CAR export and the gateway. */
public final class Dag {
  private Dag() {}

  /** The CIDs a block links to, in link order (raw blocks link to nothing). */
  public static List<Cid> links(Cid cid, byte[] block) {
    if (cid.codec() == Multicodec.RAW) {
      return List.of();
    }
    if (cid.codec() != Multicodec.DAG_PB) {
      throw new MalformedContentException("Block " + cid,
          "codec " + Multicodec.name(cid.codec()) + " is not supported (only raw and dag-pb DAGs can be traversed)");
    }
    List<PbLink> links = decode(cid, block).links();
    List<Cid> out = new ArrayList<>(links.size());
    for (PbLink l : links) {
      out.add(l.hash());
    }
    return out;
  }

  /** True if the CID's codec can never have links, so the block need not be read to walk past it. */
  public static boolean isLeafCodec(Cid cid) {
    return cid.codec() == Multicodec.RAW;
  }

  public static PbNode decode(Cid cid, byte[] block) {
    try {
      return DagPb.decode(block);
    } catch (IllegalArgumentException e) {
      throw new MalformedContentException("Block " + cid, "not valid dag-pb (" + e.getMessage() + ")");
    }
  }

  public static UnixFsData unixfs(Cid cid, PbNode node) {
    if (node.data() == null) {
      throw new MalformedContentException("Block " + cid, "dag-pb node without UnixFS data");
    }
    try {
      return UnixFsData.decode(node.data());
    } catch (IllegalArgumentException e) {
      throw new MalformedContentException("Block " + cid, "not valid UnixFS (" + e.getMessage() + ")");
    }
  }
}
