package io.ledgerlake.content.car;

import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Varint;
import io.ledgerlake.content.unixfs.BlockSource;
import io.ledgerlake.content.unixfs.Dag;
import io.ledgerlake.content.unixfs.PbLink;
import io.ledgerlake.content.unixfs.PbNode;
import io.ledgerlake.content.unixfs.UnixFsData;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a CAR v1 stream of a DAG in depth-first pre-order (the order {@code ipfs dag export}
 * and gateways use: "order=dfs"), each block once ("dups=n"). Blocks come from a verifying
 * {@link BlockSource}, so a corrupt store aborts the export instead of shipping bad blocks.
 */
public final class CarWriter {
  private CarWriter() {}

  /** @return number of blocks written */
  public static long write(BlockSource source, Cid root, DagScope scope, OutputStream out) throws IOException {
    writeHeader(CarHeader.v1(List.of(root)), out);
    Set<Cid> seen = new HashSet<>();
    Deque<Cid> todo = new ArrayDeque<>();
    todo.push(root);
    long blocks = 0;
    boolean first = true;
    while (!todo.isEmpty()) {
      Cid cid = todo.pop();
      if (!seen.add(cid)) {
        continue;
      }
      byte[] block = source.get(cid);
      writeBlock(cid, block, out);
      blocks++;
      boolean isRoot = first;
      first = false;
      if (scope == DagScope.BLOCK || cid.codec() != Multicodec.DAG_PB) {
        continue;
      }
      PbNode node = Dag.decode(cid, block);
      List<PbLink> links = node.links();
      if (scope == DagScope.ENTITY) {
        links = entityLinks(cid, node, isRoot);
      }
      for (int i = links.size() - 1; i >= 0; i--) {
        todo.push(links.get(i).hash());
      }
    }
    return blocks;
  }

  /** Under ENTITY a file is complete, a directory contributes only its own (HAMT) nodes. */
  private static List<PbLink> entityLinks(Cid cid, PbNode node, boolean isRoot) {
    if (node.data() == null) {
      return node.links();
    }
    UnixFsData data;
    try {
      data = UnixFsData.decode(node.data());
    } catch (IllegalArgumentException e) {
      return node.links();
    }
    if (data.type() == UnixFsData.Type.DIRECTORY) {
      return List.of();
    }
    if (data.type() == UnixFsData.Type.HAMT_SHARD) {
      int prefix = Integer.toHexString((int) (data.fanout() == null ? 256 : data.fanout()) - 1).length();
      // sub-shard links carry only the slot prefix; entry links carry prefix + name
      return node.links().stream().filter(l -> l.name() != null && l.name().length() == prefix).toList();
    }
    return node.links();
  }

  public static void writeHeader(CarHeader header, OutputStream out) throws IOException {
    byte[] h = header.encode();
    out.write(Varint.encode(h.length));
    out.write(h);
  }

  public static void writeBlock(Cid cid, byte[] block, OutputStream out) throws IOException {
    byte[] c = cid.bytes();
    out.write(Varint.encode((long) c.length + block.length));
    out.write(c);
    out.write(block);
  }
}
