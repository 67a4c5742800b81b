package io.ledgerlake.ingestion.format;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Factories for {@link ContentInput}. */
public final class ContentInputs {
  private ContentInputs() {}

  public static ContentInput ofPath(Path path) {
    return new ContentInput() {
      @Override
      public InputStream openStream() throws IOException {
        return Files.newInputStream(path);
      }

      @Override
      public SeekableByteChannel openChannel() throws IOException {
        return Files.newByteChannel(path, StandardOpenOption.READ);
      }

      @Override
      public long size() {
        try {
          return Files.size(path);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read the size of " + path, e);
        }
      }

      @Override
      public String toString() {
        return path.toString();
      }
    };
  }

  /** For small inputs and tests. */
  public static ContentInput ofBytes(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new ContentInput() {
      @Override
      public InputStream openStream() {
        return new ByteArrayInputStream(copy);
      }

      @Override
      public SeekableByteChannel openChannel() {
        return new ByteArrayChannel(copy);
      }

      @Override
      public long size() {
        return copy.length;
      }
    };
  }

  /** A read-only channel over a byte array. */
  private static final class ByteArrayChannel implements SeekableByteChannel {
    private final byte[] bytes;
    private long position;
    private boolean open = true;

    ByteArrayChannel(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), bytes.length - position);
      dst.put(bytes, (int) position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
