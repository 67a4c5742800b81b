package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.multiformats.Varint;
import java.util.Arrays;

/** Minimal protobuf writer (varint and length-delimited fields), growing a byte array. */
final class ProtoWriter {
  private byte[] buf;
  private int len;

  ProtoWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  void varint(long v) {
    ensure(10);
    len = Varint.write(v, buf, len);
  }

  void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  void uint64Field(int field, long v) {
    tag(field, 0);
    varint(v);
  }

  void bytesField(int field, byte[] b) {
    tag(field, 2);
    varint(b.length);
    raw(b, 0, b.length);
  }

  void fixed32Field(int field, int v) {
    tag(field, 5);
    ensure(4);
    buf[len++] = (byte) v;
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 24);
  }

  void raw(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
