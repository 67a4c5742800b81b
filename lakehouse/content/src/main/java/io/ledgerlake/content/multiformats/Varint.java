package io.ledgerlake.content.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Unsigned LEB128 varints as used by multiformats and protobuf. Multiformats caps varints at 9
 * bytes (63 bits); protobuf allows 10 for uint64. We accept up to 63 bits, which covers every
 * size we can handle (Java long) and rejects non-minimal encodings as the multiformats spec asks.
 */
public final class Varint {
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /** Number of bytes {@code value} takes (value must be non-negative). */
  public static int size(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint value must be non-negative: " + value);
    }
    int n = 1;
    while ((value >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /** Writes {@code value} at {@code offset}; returns the offset after it. */
  public static int write(long value, byte[] out, int offset) {
    if (value < 0) {
      throw new IllegalArgumentException("varint value must be non-negative: " + value);
    }
    while ((value & ~0x7FL) != 0) {
      out[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[offset++] = (byte) value;
    return offset;
  }

  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    write(value, out, 0);
    return out;
  }

  /**
   * Decodes a varint at {@code pos[0]} in {@code in} (bounded by {@code limit}), advancing
   * {@code pos[0]}.
   *
   * @throws IllegalArgumentException if truncated, too long or not minimally encoded
   */
  public static long read(byte[] in, int[] pos, int limit) {
    long value = 0;
    int shift = 0;
    int p = pos[0];
    for (int i = 0; i < MAX_BYTES; i++) {
      if (p >= limit) {
        throw new IllegalArgumentException("truncated varint at byte " + pos[0]);
      }
      int b = in[p++] & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint at byte " + pos[0] + " is not minimally encoded");
        }
        pos[0] = p;
        return value;
      }
      shift += 7;
    }
    throw new IllegalArgumentException("varint at byte " + pos[0] + " is longer than " + MAX_BYTES + " bytes");
  }

  /**
   * Reads a varint from a stream. Returns -1 on a clean end of stream before the first byte.
   *
   * @throws EOFException if the stream ends inside the varint
   */
  public static long read(InputStream in) throws IOException {
    long value = 0;
    int shift = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new EOFException("stream ended inside a varint");
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IOException("varint is not minimally encoded");
        }
        return value;
      }
      shift += 7;
    }
    throw new IOException("varint longer than " + MAX_BYTES + " bytes");
  }
}
