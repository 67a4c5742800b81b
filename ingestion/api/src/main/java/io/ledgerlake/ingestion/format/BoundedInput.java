package io.ledgerlake.ingestion.format;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The first {@code limit} bytes of a stream: a range's parser must not see the next range's lines, and an upload
 * client sends one region of a file per request.
 */
public final class BoundedInput extends FilterInputStream {
  private long left;

  public BoundedInput(InputStream in, long limit) {
    super(in);
    this.left = limit;
  }

  @Override
  public int read() throws IOException {
    if (left <= 0) {
      return -1;
    }
    int b = super.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left <= 0) {
      return -1;
    }
    int n = super.read(b, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }
}
