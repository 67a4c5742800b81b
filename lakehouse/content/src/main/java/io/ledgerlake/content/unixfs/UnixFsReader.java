package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.MalformedContentException;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Streams the bytes of a UnixFS file DAG in order, fetching one block at a time from a
 * {@link BlockSource} (which verifies each block's hash). Memory is one block plus one link list
 * per tree level. Verification failures surface as the source's unchecked exceptions, so a
 * caller never sees bytes from a block that did not match its CID.
 */
public final class UnixFsReader extends InputStream {
  private final BlockSource source;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private final Cid root;
  private byte[] current = new byte[0];
  private int pos;
  private boolean started;

  private static final class Frame {
    final List<PbLink> links;
    /** File bytes under each link, or null when the node does not say (then skipping reads). */
    final List<Long> sizes;
    int next;

    Frame(List<PbLink> links, List<Long> sizes) {
      this.links = links;
      this.sizes = sizes.size() == links.size() ? sizes : null;
    }
  }

  public UnixFsReader(BlockSource source, Cid root) {
    this.source = Objects.requireNonNull(source, "source");
    this.root = Objects.requireNonNull(root, "root");
  }

  /** Fetches the next block with file bytes; returns false at the end of the file. */
  private boolean advance() {
    if (!started) {
      started = true;
      visit(root, true);
      if (pos < current.length) {
        return true;
      }
    }
    while (!stack.isEmpty()) {
      Frame top = stack.peek();
      if (top.next >= top.links.size()) {
        stack.pop();
        continue;
      }
      visit(top.links.get(top.next++).hash(), false);
      if (pos < current.length) {
        return true;
      }
    }
    return false;
  }

  private void visit(Cid cid, boolean isRoot) {
    byte[] block = source.get(cid);
    current = new byte[0];
    pos = 0;
    if (cid.codec() == Multicodec.RAW) {
      current = block;
      return;
    }
    if (cid.codec() != Multicodec.DAG_PB) {
      throw new MalformedContentException("Block " + cid, "codec " + Multicodec.name(cid.codec())
          + " is not a UnixFS file (expected raw or dag-pb)");
    }
    PbNode node = Dag.decode(cid, block);
    UnixFsData data = Dag.unixfs(cid, node);
    if (data.type() != UnixFsData.Type.FILE && data.type() != UnixFsData.Type.RAW) {
      String kind = data.isDirectory() ? "a directory" : data.type().name().toLowerCase(java.util.Locale.ROOT);
      throw new MalformedContentException("CID " + cid, (isRoot ? "is " : "links to ") + kind
          + ", not a file; pass the CID of a file (or export the whole DAG with 'car export')");
    }
    if (data.data() != null) {
      current = data.data();
    }
    if (!node.links().isEmpty()) {
      stack.push(new Frame(node.links(), data.blocksizes()));
    }
  }

  /**
   * Skips without fetching the blocks it passes over, using the byte counts the parent nodes record for their links
   * ({@code blocksizes}): the ingestion job opens an upload at the start of each of its ranges, and reading every
   * block before it would make that quadratic in the file size. Only the blocks on the path to the new position are
   * fetched (and verified); skipped bytes are never returned, so nothing unverified is served.
   */
  @Override
  public long skip(long n) {
    if (n <= 0) {
      return 0;
    }
    if (!started) {
      started = true;
      visit(root, true);
    }
    long left = n;
    while (left > 0) {
      int inBlock = (int) Math.min(left, current.length - pos);
      pos += inBlock;
      left -= inBlock;
      if (left == 0) {
        break;
      }
      // The current block is used up: pass over whole links the parent can size, then descend into the next.
      Frame top = stack.peek();
      if (top == null) {
        break; // end of file
      }
      if (top.next >= top.links.size()) {
        stack.pop();
        continue;
      }
      if (top.sizes != null && top.sizes.get(top.next) <= left) {
        left -= top.sizes.get(top.next);
        top.next++;
        continue;
      }
      visit(top.links.get(top.next++).hash(), false);
    }
    return n - left;
  }

  @Override
  public int read() {
    if (pos >= current.length && !advance()) {
      return -1;
    }
    return current[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (pos >= current.length && !advance()) {
      return -1;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }
}
