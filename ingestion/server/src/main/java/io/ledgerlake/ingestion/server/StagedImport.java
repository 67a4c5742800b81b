package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.content.StoredContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The content-store import of one resumable upload, running while its chunks arrive: it reads the session's staged
 * file up to the offset confirmed so far (written and fsynced), waits for the next chunk, and ends when all bytes are
 * in. Without it the whole upload would be read and imported again after its last chunk, which on a 1 GB upload was
 * about a third of the upload's time (docs/benchmarks.md).
 *
 * <p>Only a speed-up: the staged file stays the durable copy. If the process restarts, the import fails or the
 * session stays idle past {@code idleTimeout}, the session's completion imports the staged file as before.
 */
final class StagedImport {
  /** Stores a body; the upload service's store step (size limit, quota, content sink). */
  @FunctionalInterface
  interface Store {
    StoredContent store(InputStream body) throws IOException;
  }

  private final Path file;
  private final long length;
  private final Duration idleTimeout;
  private final CompletableFuture<StoredContent> result = new CompletableFuture<>();
  private long confirmed; // guarded by this
  private boolean aborted; // guarded by this

  /**
   * @param confirmed bytes of {@code file} already durable when the import starts (a session resumed after a restart)
   */
  StagedImport(Path file, long length, long confirmed, Duration idleTimeout) {
    this.file = file;
    this.length = length;
    this.confirmed = confirmed;
    this.idleTimeout = idleTimeout;
  }

  /** Starts the import on {@code executor}. */
  StagedImport start(Store store, Executor executor) {
    executor.execute(() -> {
      try (InputStream in = new Growing()) {
        result.complete(store.store(in));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return this;
  }

  /** Bytes up to {@code offset} are written and fsynced: the import may read them. */
  synchronized void confirm(long offset) {
    confirmed = Math.max(confirmed, offset);
    notifyAll();
  }

  /** The session was terminated or expired: the import fails (its blocks are left unreferenced). */
  synchronized void abort() {
    aborted = true;
    notifyAll();
  }

  CompletableFuture<StoredContent> result() {
    return result;
  }

  /** The staged file as a stream that ends at {@code length} and blocks at the confirmed offset until it grows. */
  private final class Growing extends InputStream {
    private final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    private long position;

    Growing() throws IOException {}

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (position >= length) {
        return -1;
      }
      long available = awaitBytes();
      ByteBuffer into = ByteBuffer.wrap(b, off, (int) Math.min(len, available - position));
      int n = channel.read(into, position);
      if (n < 0) {
        throw new IOException("staged upload " + file + " is shorter than its confirmed offset " + available);
      }
      position += n;
      return n;
    }

    private long awaitBytes() throws IOException {
      synchronized (StagedImport.this) {
        long deadline = System.nanoTime() + idleTimeout.toNanos();
        while (confirmed <= position && !aborted) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IOException("no bytes of upload " + file.getFileName() + " for " + idleTimeout
                + "; its completion will import the staged file");
          }
          try {
            StagedImport.this.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("import of " + file.getFileName() + " interrupted");
          }
        }
        if (aborted) {
          throw new IOException("upload " + file.getFileName() + " was terminated");
        }
        return confirmed;
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
