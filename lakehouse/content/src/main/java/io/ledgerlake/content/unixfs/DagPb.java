package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Varint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * dag-pb codec (https://ipld.io/specs/codecs/dag-pb/spec/). Encoding is canonical: links (field
 * 2) before data (field 1), and within a link Hash, Name, Tsize. The decoder enforces the same
 * order, as the spec requires, so a block has exactly one valid encoding.
 */
public final class DagPb {
  private DagPb() {}

  public static byte[] encode(PbNode node) {
    int size = encodedSize(node);
    ProtoWriter w = new ProtoWriter(size);
    for (PbLink link : node.links()) {
      w.tag(2, 2);
      w.varint(linkSize(link));
      writeLink(w, link);
    }
    if (node.data() != null) {
      w.bytesField(1, node.data());
    }
    return w.toByteArray();
  }

  private static void writeLink(ProtoWriter w, PbLink link) {
    byte[] cid = link.hash().bytes();
    w.bytesField(1, cid);
    if (link.name() != null) {
      w.bytesField(2, link.name().getBytes(StandardCharsets.UTF_8));
    }
    if (link.tsize() != null) {
      w.uint64Field(3, link.tsize());
    }
  }

  /** Serialized size of one link's body (without its field tag and length prefix). */
  static int linkSize(PbLink link) {
    int cidLen = link.hash().byteLength();
    int n = 1 + Varint.size(cidLen) + cidLen;
    if (link.name() != null) {
      int nameLen = utf8Length(link.name());
      n += 1 + Varint.size(nameLen) + nameLen;
    }
    if (link.tsize() != null) {
      n += 1 + Varint.size(link.tsize());
    }
    return n;
  }

  /** Bytes a link adds to its node, including tag and length prefix. */
  static int linkFieldSize(PbLink link) {
    int n = linkSize(link);
    return 1 + Varint.size(n) + n;
  }

  public static int encodedSize(PbNode node) {
    int size = 0;
    for (PbLink link : node.links()) {
      size += linkFieldSize(link);
    }
    if (node.data() != null) {
      size += 1 + Varint.size(node.data().length) + node.data().length;
    }
    return size;
  }

  static int utf8Length(String s) {
    int len = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        len++;
      } else if (c < 0x800) {
        len += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        len += 4;
        i++;
      } else {
        len += 3;
      }
    }
    return len;
  }

  /**
   * Decodes a dag-pb block.
   *
   * @throws IllegalArgumentException if the bytes are not canonical dag-pb
   */
  public static PbNode decode(byte[] block) {
    ProtoReader r = new ProtoReader(block, 0, block.length);
    List<PbLink> links = new ArrayList<>();
    byte[] data = null;
    while (r.hasMore()) {
      int[] tag = r.tag();
      if (tag[0] == 2 && tag[1] == 2) {
        if (data != null) {
          throw new IllegalArgumentException("dag-pb link after the Data field");
        }
        int len = r.lengthPrefix();
        int end = r.position() + len;
        links.add(readLink(new ProtoReader(block, r.position(), end)));
        r.advance(len);
      } else if (tag[0] == 1 && tag[1] == 2) {
        if (data != null) {
          throw new IllegalArgumentException("duplicate dag-pb Data field");
        }
        data = r.bytes();
      } else {
        throw new IllegalArgumentException("unexpected dag-pb field " + tag[0] + " (wire type " + tag[1] + ")");
      }
    }
    return new PbNode(data, links);
  }

  private static PbLink readLink(ProtoReader r) {
    Cid hash = null;
    String name = null;
    Long tsize = null;
    int last = 0;
    while (r.hasMore()) {
      int[] tag = r.tag();
      if (tag[0] <= last) {
        throw new IllegalArgumentException("dag-pb link fields out of order or repeated");
      }
      last = tag[0];
      if (tag[0] == 1 && tag[1] == 2) {
        int len = r.lengthPrefix();
        int[] pos = {r.position()};
        hash = Cid.read(r.buffer(), pos, r.position() + len);
        if (pos[0] != r.position() + len) {
          throw new IllegalArgumentException("trailing bytes after a link CID");
        }
        r.advance(len);
      } else if (tag[0] == 2 && tag[1] == 2) {
        name = new String(r.bytes(), StandardCharsets.UTF_8);
      } else if (tag[0] == 3 && tag[1] == 0) {
        tsize = r.varint();
      } else {
        throw new IllegalArgumentException("unexpected dag-pb link field " + tag[0]);
      }
    }
    if (hash == null) {
      throw new IllegalArgumentException("dag-pb link without a Hash");
    }
    return new PbLink(hash, name, tsize);
  }
}
