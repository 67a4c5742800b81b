package io.ledgerlake.lakehouse.write;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.common.AtomicFiles;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only table written exactly once per request id, acknowledged after an fsynced journal append rather than
 * after an Iceberg commit: what metered requests (RAG queries, model calls) need — the caller may not get an answer
 * that was not recorded, and one commit per request would be slow and contend. One writer thread takes what is
 * queued, appends it to the journal segment under {@code journalDir} (one JSON line per request, one fsync per batch)
 * and only then acknowledges: an acknowledged request survives a crash. The same thread commits journaled requests to
 * the table in batches (every {@code flushInterval}), one Iceberg append holding whole requests, then starts a new
 * segment and deletes the committed one. At start, segments left by a crash are committed, skipping ids the table
 * already holds (a crash between the commit and the delete), so nothing is lost or doubled. The ids recorded so far
 * are loaded at start and kept in memory (one writer process per catalog).
 *
 * @param <T> one request, as the {@link Codec} reads and writes it
 */
public final class JournaledLog<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournaledLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BATCH = 512;

  /** What was recorded under an id: a hash of the request and the caller, to tell a retry from a reuse of the id. */
  public record Recorded(String requestSha256, String caller) {}

  /** How one kind of request is identified, journaled and turned into table rows. */
  public interface Codec<T> {
    /** The request's id, unique in the table. */
    String id(T request);

    Recorded recorded(T request);

    /** The table columns holding the id, the request hash and the caller (to load what is recorded at start). */
    List<String> idColumns();

    /** One journal line, carrying its format version. */
    String toJson(T request);

    /** Reads a journal line; throws on another format version or a torn line. */
    T fromJson(JsonNode line);

    /** The table rows of one request (all committed in one append with the rest of its batch). */
    List<Record> rows(T request, Schema schema);
  }

  private record Pending<T>(T request, CompletableFuture<Boolean> done) {}

  private final Lakehouse lakehouse;
  private final TableDefinition table;
  private final Codec<T> codec;
  private final Path journalDir;
  private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
  private final List<T> journaled = new ArrayList<>(); // in the current segment, not in the table yet
  private final Thread writer;
  private final Duration flushInterval;
  private Path segment;
  private FileChannel segmentChannel;
  private long lastFlush = System.nanoTime();
  private volatile boolean closed;

  public JournaledLog(Lakehouse lakehouse, TableDefinition table, Codec<T> codec, Path journalDir,
      Duration flushInterval) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.table = requireNonNull(table, "table");
    this.codec = requireNonNull(codec, "codec");
    this.journalDir = requireNonNull(journalDir, "journalDir");
    this.flushInterval = requireNonNull(flushInterval, "flushInterval");
    Table t = lakehouse.table(table);
    t.refresh();
    if (t.currentSnapshot() != null) {
      List<String> columns = codec.idColumns();
      try (CloseableIterable<Record> rows = IcebergGenerics.read(t).select(columns).build()) {
        for (Record r : rows) {
          recorded.putIfAbsent((String) r.getField(columns.get(0)),
              new Recorded((String) r.getField(columns.get(1)), (String) r.getField(columns.get(2))));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    recoverJournal();
    writer = new Thread(this::writeLoop, "ledgerlake-journal-" + table.identifier().name());
    writer.setDaemon(true);
    writer.start();
  }

  /** The request recorded under {@code id}, if any. */
  public Optional<Recorded> recorded(String id) {
    return Optional.ofNullable(recorded.get(id));
  }

  /**
   * Records {@code request} and returns once it is durable (journaled): true if recorded now, false if its id was
   * recorded before (nothing written). Throws if it could not be made durable: nothing of the request was recorded,
   * and a retry with the same id is safe.
   */
  public boolean record(T request) {
    String id = codec.id(request);
    if (closed) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, "the %s log is closed (the server is stopping); retry",
          table.qualifiedName());
    }
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    queue.add(new Pending<>(request, done));
    try {
      return done.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "interrupted while recording %s", id);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new LakehouseException(ErrorCategory.EXTERNAL, cause, "recording %s in %s failed: %s; retry with the same"
          + " id", id, table.qualifiedName(), cause.getMessage());
    }
  }

  private void writeLoop() {
    List<Pending<T>> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
          journal(batch);
        }
        if (!journaled.isEmpty() && System.nanoTime() - lastFlush >= flushInterval.toNanos()) {
          flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch.forEach(p -> p.done().completeExceptionally(e));
        return;
      } catch (IOException | RuntimeException e) {
        LOG.warn("Journaling {} requests for {} failed; they are not recorded", batch.size(), table.qualifiedName(), e);
        batch.forEach(p -> p.done().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
    try {
      if (!journaled.isEmpty()) {
        flush();
      }
    } catch (RuntimeException | IOException e) {
      LOG.warn("Committing the last journaled requests to {} failed; the next start commits them",
          table.qualifiedName(), e);
    }
  }

  /** Appends the batch's new requests to the journal segment (one fsync), then acknowledges every request of it. */
  private void journal(List<Pending<T>> batch) throws IOException {
    Map<String, Recorded> fresh = new HashMap<>();
    List<T> freshRequests = new ArrayList<>();
    List<Boolean> outcome = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    for (Pending<T> p : batch) {
      String id = codec.id(p.request());
      boolean isNew = !recorded.containsKey(id) && !fresh.containsKey(id);
      outcome.add(isNew);
      if (isNew) {
        fresh.put(id, codec.recorded(p.request()));
        freshRequests.add(p.request());
        lines.append(codec.toJson(p.request())).append('\n');
      }
    }
    if (!fresh.isEmpty()) {
      if (segmentChannel == null) {
        Files.createDirectories(journalDir);
        segment = journalDir.resolve(table.identifier().name() + "-" + System.currentTimeMillis() + "-" + System.nanoTime()
            + ".jsonl");
        segmentChannel = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        AtomicFiles.syncDirectory(journalDir); // the new segment's name survives a crash too
      }
      ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        segmentChannel.write(bytes);
      }
      segmentChannel.force(false);
      journaled.addAll(freshRequests);
      recorded.putAll(fresh);
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(outcome.get(i));
    }
  }

  /** Commits the current segment's requests to the table, then deletes the segment. */
  private void flush() throws IOException {
    lastFlush = System.nanoTime();
    append(journaled);
    journaled.clear();
    segmentChannel.close();
    segmentChannel = null;
    Files.deleteIfExists(segment);
    segment = null;
  }

  private void append(List<T> requests) {
    Table t = lakehouse.table(table);
    List<Record> rows = new ArrayList<>();
    for (T request : requests) {
      rows.addAll(codec.rows(request, t.schema()));
    }
    if (!rows.isEmpty()) {
      TableAppender.append(t, rows);
    }
  }

  /**
   * Commits what a crash left in the journal: every request whose id the table does not hold yet (a crash after a
   * commit and before its segment was deleted leaves requests that are already in), then deletes the segments. A torn
   * last line (a crash mid-append, never acknowledged) is skipped.
   */
  private void recoverJournal() {
    if (!Files.isDirectory(journalDir)) {
      return;
    }
    List<Path> segments;
    try (Stream<Path> files = Files.list(journalDir)) {
      segments = files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (segments.isEmpty()) {
      return;
    }
    List<T> missing = new ArrayList<>();
    for (Path s : segments) {
      try (BufferedReader in = Files.newBufferedReader(s, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          T request;
          try {
            request = codec.fromJson(JSON.readTree(line));
          } catch (IOException | RuntimeException torn) {
            LOG.warn("Skipping an unreadable line of {} (a write cut short by a crash, never acknowledged)", s);
            continue;
          }
          String id = codec.id(request);
          if (!recorded.containsKey(id)) {
            recorded.put(id, codec.recorded(request));
            missing.add(request);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    append(missing);
    LOG.info("Recovered {} journaled request(s) into {} from {} segment(s)", missing.size(), table.qualifiedName(),
        segments.size());
    for (Path s : segments) {
      try {
        Files.deleteIfExists(s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Stops the writer as a crash would: nothing more is committed to the table, the journal stays as it is (for tests
   * of recovery).
   */
  public void abandon() throws IOException {
    closed = true;
    writer.interrupt();
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (segmentChannel != null) {
      segmentChannel.close();
    }
  }

  /** Journals what is queued, commits the journal to the table, then stops. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
