package io.ledgerlake.rag.query;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.AtomicFiles;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
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
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * attribution.usage, written exactly once per query id, acknowledged after an fsynced journal append rather than after
 * an Iceberg commit. One writer thread takes what is queued, appends it to the journal segment under
 * {@code <data dir>/rag/usage-journal} (one JSON line per query, one fsync per batch) and only then acknowledges: an
 * acknowledged query survives a crash. The same thread commits journaled queries to the table in batches (every
 * {@link #FLUSH_INTERVAL}), one Iceberg append holding whole queries, then starts a new segment and
 * deletes the committed one. At start, segments left by a crash are committed, skipping query ids the table already
 * holds (a crash between the commit and the delete), so nothing is lost or doubled. The ids recorded so far are loaded
 * at start and kept in memory (one writer process per catalog; docs/decisions/rag-query-api.md). Rows reach the table
 * at most about {@link #FLUSH_INTERVAL} after their answer.
 */
public final class UsageLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsageLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BATCH = 512;
  static final Duration FLUSH_INTERVAL = Duration.ofMillis(500);
  /** Journal line format. */
  static final int FORMAT = 1;

  /** What was recorded under a query id: the question's hash and the caller, to tell a retry from a reuse. */
  public record Recorded(String querySha256, String caller) {}

  /** One answered query, with the passages it returned (rank order). */
  public record Usage(String queryId, String querySha256, String caller, LicenceGate.Licence licence,
      RagAssets.Target target, List<RagRetriever.Passage> passages, int k, Instant at) {
    public Usage {
      requireNonNull(queryId, "queryId");
      passages = List.copyOf(passages);
    }
  }

  private record Pending(Usage usage, CompletableFuture<Boolean> done) {}

  private final Lakehouse lakehouse;
  private final Path journalDir;
  private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Usage> journaled = new ArrayList<>(); // in the current segment, not in the table yet
  private final Thread writer;
  private Path segment;
  private FileChannel segmentChannel;
  private final Duration flushInterval;
  private long lastFlush = System.nanoTime();
  private volatile boolean closed;

  public UsageLog(Lakehouse lakehouse) {
    this(lakehouse, FLUSH_INTERVAL);
  }

  /** With another interval between table commits (tests hold the journal back with a long one). */
  UsageLog(Lakehouse lakehouse, Duration flushInterval) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.flushInterval = requireNonNull(flushInterval, "flushInterval");
    this.journalDir = lakehouse.options().dataDir().resolve("rag").resolve("usage-journal");
    Table table = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
    table.refresh();
    if (table.currentSnapshot() != null) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
          .select("query_id", "query_sha256", "caller").build()) {
        for (Record r : rows) {
          recorded.putIfAbsent((String) r.getField("query_id"),
              new Recorded((String) r.getField("query_sha256"), (String) r.getField("caller")));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    recoverJournal();
    writer = new Thread(this::writeLoop, "ledgerlake-usage-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** The query recorded under {@code queryId}, if any. */
  public Optional<Recorded> recorded(String queryId) {
    return Optional.ofNullable(recorded.get(queryId));
  }

  /**
   * Records {@code usage} and returns once it is durable (journaled): true if recorded now, false if its query id was
   * recorded before (nothing written). Throws if it could not be made durable: nothing of the query was recorded, and
   * a retry with the same query id is safe.
   */
  public boolean record(Usage usage) {
    if (closed) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, "the usage log is closed (the server is stopping); retry");
    }
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    queue.add(new Pending(usage, done));
    try {
      return done.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "interrupted while recording query %s", usage.queryId());
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new LakehouseException(ErrorCategory.EXTERNAL, cause, "recording the usage of query %s failed: %s; retry with"
          + " the same query id", usage.queryId(), cause.getMessage());
    }
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
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
        LOG.warn("Journaling {} queries for attribution.usage failed; they are not recorded", batch.size(), e);
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
      LOG.warn("Committing the last journaled queries to attribution.usage failed; the next start commits them", e);
    }
  }

  /** Appends the batch's new queries to the journal segment (one fsync), then acknowledges every query of it. */
  private void journal(List<Pending> batch) throws IOException {
    Map<String, Recorded> fresh = new HashMap<>();
    List<Usage> freshUsages = new ArrayList<>();
    List<Boolean> outcome = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    for (Pending p : batch) {
      Usage u = p.usage();
      boolean isNew = !recorded.containsKey(u.queryId()) && !fresh.containsKey(u.queryId());
      outcome.add(isNew);
      if (isNew) {
        fresh.put(u.queryId(), new Recorded(u.querySha256(), u.caller()));
        freshUsages.add(u);
        lines.append(toJson(u)).append('\n');
      }
    }
    if (!fresh.isEmpty()) {
      if (segmentChannel == null) {
        Files.createDirectories(journalDir);
        segment = journalDir.resolve("usage-" + System.currentTimeMillis() + "-" + System.nanoTime() + ".jsonl");
        segmentChannel = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        AtomicFiles.syncDirectory(journalDir); // the new segment's name survives a crash too
      }
      ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        segmentChannel.write(bytes);
      }
      segmentChannel.force(false);
      journaled.addAll(freshUsages);
      recorded.putAll(fresh);
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(outcome.get(i));
    }
  }

  /** Commits the current segment's queries to the table, then deletes the segment. */
  private void flush() throws IOException {
    lastFlush = System.nanoTime();
    append(journaled);
    journaled.clear();
    segmentChannel.close();
    segmentChannel = null;
    Files.deleteIfExists(segment);
    segment = null;
  }

  private void append(List<Usage> usages) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
    List<Record> rows = new ArrayList<>();
    for (Usage u : usages) {
      for (RagRetriever.Passage passage : u.passages()) {
        Map<String, Object> v = new HashMap<>();
        v.put("query_id", u.queryId());
        v.put("query_sha256", u.querySha256());
        v.put("caller", u.caller());
        v.put("license_kind", u.licence().kind());
        v.put("license_asset_id", Long.toString(u.licence().assetId()));
        v.put("asset_id", Long.toString(u.target().assetId()));
        v.put("dataset_id", u.target().datasetId());
        v.put("version_tag", u.target().versionTag());
        v.put("index_cid", u.target().indexCid());
        v.put("record_cid", passage.recordCid());
        v.put("chunk", passage.chunk());
        v.put("contributor", passage.contributor());
        v.put("rank", passage.rank());
        v.put("score", passage.score());
        v.put("k", u.k());
        v.put("queried_at", u.at().atOffset(ZoneOffset.UTC));
        rows.add(Rows.of(table.schema(), v));
      }
    }
    if (!rows.isEmpty()) {
      TableAppender.append(table, rows);
    }
  }

  /**
   * Commits what a crash left in the journal: every query whose id the table does not hold yet (a crash after a
   * commit and before its segment was deleted leaves queries that are already in), then deletes the segments. A torn
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
    List<Usage> missing = new ArrayList<>();
    for (Path s : segments) {
      try (BufferedReader in = Files.newBufferedReader(s, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          Usage u;
          try {
            u = fromJson(JSON.readTree(line));
          } catch (IOException | RuntimeException torn) {
            LOG.warn("Skipping an unreadable line of {} (a write cut short by a crash, never acknowledged)", s);
            continue;
          }
          if (!recorded.containsKey(u.queryId())) {
            recorded.put(u.queryId(), new Recorded(u.querySha256(), u.caller()));
            missing.add(u);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    append(missing);
    LOG.info("Recovered {} journaled quer(ies) into attribution.usage from {} segment(s)", missing.size(),
        segments.size());
    for (Path s : segments) {
      try {
        Files.deleteIfExists(s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static String toJson(Usage u) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("query_id", u.queryId()).put("query_sha256", u.querySha256()).put("caller", u.caller());
    n.putObject("licence").put("kind", u.licence().kind()).put("asset_id", u.licence().assetId());
    RagAssets.Target t = u.target();
    n.putObject("target").put("asset_id", t.assetId()).put("index_asset_id", t.indexAssetId())
        .put("dataset_asset_id", t.datasetAssetId()).put("dataset_id", t.datasetId())
        .put("version_tag", t.versionTag()).put("index_cid", t.indexCid());
    ArrayNode passages = n.putArray("passages");
    u.passages().forEach(p -> passages.addObject().put("rank", p.rank()).put("record_cid", p.recordCid())
        .put("chunk", p.chunk()).put("contributor", p.contributor()).put("score", p.score()));
    n.put("k", u.k()).put("at", u.at().toString());
    return n.toString();
  }

  static Usage fromJson(JsonNode n) {
    if (n.path("format").asInt() != FORMAT) {
      throw new IllegalArgumentException("usage journal format " + n.path("format") + " is not " + FORMAT);
    }
    JsonNode t = n.path("target");
    List<RagRetriever.Passage> passages = new ArrayList<>();
    n.path("passages").forEach(p -> passages.add(new RagRetriever.Passage(p.path("rank").asInt(),
        p.path("record_cid").asText(), p.path("chunk").asInt(), p.path("contributor").asText(),
        p.path("score").asDouble(), ""))); // the text is not part of the usage record
    return new Usage(n.path("query_id").asText(), n.path("query_sha256").asText(), n.path("caller").asText(),
        new LicenceGate.Licence(n.path("licence").path("kind").asText(), n.path("licence").path("asset_id").asLong()),
        new RagAssets.Target(t.path("asset_id").asLong(), t.path("index_asset_id").asLong(),
            t.path("dataset_asset_id").asLong(), t.path("dataset_id").asText(), t.path("version_tag").asText(),
            t.path("index_cid").asText()),
        passages, n.path("k").asInt(), Instant.parse(n.path("at").asText()));
  }

  /**
   * Stops the writer as a crash would: nothing more is committed to the table, the journal stays as it is (for tests
   * of recovery).
   */
  void abandon() throws IOException {
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
