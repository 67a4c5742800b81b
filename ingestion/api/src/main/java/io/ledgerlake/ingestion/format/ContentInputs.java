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

  /** Opens a fresh stream over the same content each time it is called. */
  @FunctionalInterface
  public interface StreamOpener {
    InputStream open() throws IOException;
  }

  /**
   * Content that can only be streamed (e.g. a content store that reads blocks by CID). Random access
   * ({@link ContentInput#openChannel()}, needed by Parquet and zip) spills the stream once to a temporary file, deleted
   * when the channel is closed.
   *
   * @param size the size if known, else -1
   */
  public static ContentInput ofStreams(StreamOpener opener, long size) {
    return new ContentInput() {
      @Override
      public InputStream openStream() throws IOException {
        return opener.open();
      }

      @Override
      public SeekableByteChannel openChannel() throws IOException {
        Path spill = Files.createTempFile("ledgerlake-content", ".bin");
        try (InputStream in = opener.open()) {
          Files.copy(in, spill, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          return Files.newByteChannel(spill, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(spill);
          throw e;
        }
      }

      @Override
      public long size() {
        return size;
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
