package io.ledgerlake.rag.query;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseException.Category;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * attribution.usage, written exactly once per query id. Queries are recorded by one writer thread in batches (group
 * commit): every batch is one Iceberg append holding whole queries, so a query's rows are all there or none, whatever
 * happens to the process; an answer is sent only after its batch is committed. A query id already recorded — in an
 * earlier batch, an earlier process, or earlier in the same batch — is not recorded again. The ids recorded so far are
 * loaded at start and kept in memory (one writer process per catalog; docs/decisions/rag-query-api.md).
 */
public final class UsageLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsageLog.class);
  private static final int MAX_BATCH = 256;

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
  private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  public UsageLog(Lakehouse lakehouse) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
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
    writer = new Thread(this::writeLoop, "ledgerlake-usage-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** The query recorded under {@code queryId}, if any. */
  public Optional<Recorded> recorded(String queryId) {
    return Optional.ofNullable(recorded.get(queryId));
  }

  /**
   * Records {@code usage} and returns once it is committed: true if recorded now, false if its query id was recorded
   * before (nothing written). Throws if the commit failed: nothing of the query was recorded, and a retry with the same
   * query id is safe.
   */
  public boolean record(Usage usage) {
    if (closed) {
      throw new LakehouseException(Category.EXTERNAL, "the usage log is closed (the server is stopping); retry");
    }
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    queue.add(new Pending(usage, done));
    try {
      return done.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LakehouseException(Category.EXTERNAL, e, "interrupted while recording query %s", usage.queryId());
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new LakehouseException(Category.EXTERNAL, cause, "recording the usage of query %s failed: %s; retry with"
          + " the same query id", usage.queryId(), cause.getMessage());
    }
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch.forEach(p -> p.done().completeExceptionally(e));
        return;
      } catch (RuntimeException e) {
        LOG.warn("Recording {} queries in attribution.usage failed; they are not recorded", batch.size(), e);
        batch.forEach(p -> p.done().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Pending> batch) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
    List<Record> rows = new ArrayList<>();
    Map<String, Recorded> fresh = new HashMap<>();
    List<Boolean> outcome = new ArrayList<>();
    for (Pending p : batch) {
      Usage u = p.usage();
      boolean isNew = !recorded.containsKey(u.queryId()) && !fresh.containsKey(u.queryId());
      outcome.add(isNew);
      if (!isNew) {
        continue;
      }
      fresh.put(u.queryId(), new Recorded(u.querySha256(), u.caller()));
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
    recorded.putAll(fresh);
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(outcome.get(i));
    }
  }

  /** Records what is queued, then stops. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
