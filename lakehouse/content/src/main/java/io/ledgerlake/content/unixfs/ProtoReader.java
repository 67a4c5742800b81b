package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.multiformats.Varint;
import java.util.Arrays;

/** Minimal protobuf reader over a byte range; throws IllegalArgumentException on malformed input. */
final class ProtoReader {
  private final byte[] buf;
  private final int[] pos;
  private final int limit;

  ProtoReader(byte[] buf, int off, int limit) {
    this.buf = buf;
    this.pos = new int[] {off};
    this.limit = limit;
  }

  boolean hasMore() {
    return pos[0] < limit;
  }

  int position() {
    return pos[0];
  }

  long varint() {
    // protobuf uint64 may take 10 bytes; values above 2^63 are not meaningful for us.
    return Varint.read(buf, pos, limit);
  }

  /** Returns {field, wireType}. */
  int[] tag() {
    long t = varint();
    if (t > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("protobuf tag out of range");
    }
    int field = (int) (t >>> 3);
    int wire = (int) (t & 7);
    if (field == 0) {
      throw new IllegalArgumentException("protobuf field number 0");
    }
    return new int[] {field, wire};
  }

  /** Length of the next length-delimited value; the reader is left at its first byte. */
  int lengthPrefix() {
    long n = varint();
    if (n > limit - pos[0]) {
      throw new IllegalArgumentException("length " + n + " exceeds the remaining " + (limit - pos[0]) + " bytes");
    }
    return (int) n;
  }

  byte[] bytes() {
    int n = lengthPrefix();
    byte[] out = Arrays.copyOfRange(buf, pos[0], pos[0] + n);
    pos[0] += n;
    return out;
  }

  int fixed32() {
    if (limit - pos[0] < 4) {
      throw new IllegalArgumentException("truncated fixed32");
    }
    int p = pos[0];
    pos[0] += 4;
    return (buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8 | (buf[p + 2] & 0xFF) << 16 | (buf[p + 3] & 0xFF) << 24;
  }

  void skip(int wireType) {
    switch (wireType) {
      case 0:
        varint();
        break;
      case 1:
        advance(8);
        break;
      case 2:
        advance(lengthPrefix());
        break;
      case 5:
        advance(4);
        break;
      default:
        throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
    }
  }

  void advance(int n) {
    if (n > limit - pos[0]) {
      throw new IllegalArgumentException("truncated field");
    }
    pos[0] += n;
  }

  int[] positionRef() {
    return pos;
  }

  byte[] buffer() {
    return buf;
  }
}
