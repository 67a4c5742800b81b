package io.ledgerlake.content.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seeded byte source shared with src/test/js/prng.mjs, so that large test inputs are
 * regenerated identically in Java and JS instead of being committed: xorshift32 (shifts 13, 17,
 * 5), each new state emitted as 4 little-endian bytes, truncated to the requested length; seed 0
 * is replaced by 0x9E3779B9.
 */
public final class SeededBytes extends InputStream {
  private int state;
  private long remaining;
  private int word;
  private int wordBytesLeft;

  public SeededBytes(int seed, long length) {
    this.state = seed == 0 ? 0x9E3779B9 : seed;
    this.remaining = length;
  }

  private int next() {
    int x = state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    state = x;
    return x;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (remaining == 0) {
      return -1;
    }
    int n = (int) Math.min(len, remaining);
    int i = off;
    int end = off + n;
    while (i < end && wordBytesLeft > 0) {
      b[i++] = (byte) word;
      word >>>= 8;
      wordBytesLeft--;
    }
    while (end - i >= 4) {
      int x = next();
      b[i] = (byte) x;
      b[i + 1] = (byte) (x >>> 8);
      b[i + 2] = (byte) (x >>> 16);
      b[i + 3] = (byte) (x >>> 24);
      i += 4;
    }
    if (i < end) {
      word = next();
      wordBytesLeft = 4;
      while (i < end) {
        b[i++] = (byte) word;
        word >>>= 8;
        wordBytesLeft--;
      }
    }
    remaining -= n;
    return n;
  }

  public static byte[] bytes(int seed, int length) {
    try {
      return new SeededBytes(seed, length).readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void writeFile(Path file, int seed, long length) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (InputStream in = new SeededBytes(seed, length); OutputStream out = Files.newOutputStream(file)) {
      in.transferTo(out);
    }
  }
}
