package io.ledgerlake.ingestion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.content.StoredContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedImportTest {
  @TempDir Path dir;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  /** A store that keeps what it read and how far it had read when each chunk was confirmed. */
  private static final class Keeping implements StagedImport.Store {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final AtomicLong read = new AtomicLong();

    @Override
    public StoredContent store(InputStream body) throws IOException {
      byte[] buffer = new byte[1000];
      int n;
      while ((n = body.read(buffer)) >= 0) {
        synchronized (bytes) {
          bytes.write(buffer, 0, n);
        }
        read.addAndGet(n);
      }
      return new StoredContent(HexFormat.of().formatHex(bytes.toByteArray(), 0, 4), bytes.size());
    }
  }

  private static void append(Path file, byte[] data, int from, int to) throws IOException {
    try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      channel.write(java.nio.ByteBuffer.wrap(data, from, to - from));
      channel.force(true);
    }
  }

  @Test
  void readsOnlyConfirmedBytesAndEndsWithTheLastChunk() throws Exception {
    byte[] data = new byte[100_000];
    new Random(7).nextBytes(data);
    Path file = Files.createFile(dir.resolve("up.bin"));
    append(file, data, 0, 10_000); // received before a restart: confirmed from the start
    Keeping store = new Keeping();
    StagedImport staged = new StagedImport(file, data.length, 10_000, Duration.ofMinutes(1)).start(store, threads);

    for (int from = 10_000; from < data.length; from += 30_000) {
      int to = Math.min(data.length, from + 30_000);
      // Bytes written but not yet confirmed (a chunk in flight may still be truncated) are never read.
      append(file, data, from, to);
      Thread.sleep(50);
      assertThat(store.read.get()).isEqualTo(from);
      assertThat(staged.result()).isNotDone();
      staged.confirm(to);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (store.read.get() < to && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(store.read.get()).isEqualTo(to);
    }
    StoredContent stored = staged.result().get(10, TimeUnit.SECONDS);
    assertThat(stored.byteCount()).isEqualTo(data.length);
    assertThat(store.bytes.toByteArray()).isEqualTo(data);
  }

  @Test
  void anAbortedOrIdleImportFailsSoThatTheCompletionImportsTheStagedFile() throws Exception {
    Path file = Files.createFile(dir.resolve("up.bin"));
    append(file, new byte[500], 0, 500);
    StagedImport aborted = new StagedImport(file, 1000, 500, Duration.ofMinutes(1)).start(new Keeping(), threads);
    Thread.sleep(50);
    aborted.abort();
    assertThatThrownBy(() -> aborted.result().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("was terminated");

    StagedImport idle = new StagedImport(file, 1000, 500, Duration.ofMillis(200)).start(new Keeping(), threads);
    assertThatThrownBy(() -> idle.result().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("no bytes of upload up.bin");
  }
}
