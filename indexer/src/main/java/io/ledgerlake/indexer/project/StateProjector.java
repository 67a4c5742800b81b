package io.ledgerlake.indexer.project;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.indexer.IndexerOptions;
import io.ledgerlake.indexer.store.ChainEvent;
import io.ledgerlake.indexer.store.ChainEventsTable;
import io.ledgerlake.indexer.store.TableFiles;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives the current-state tables (chain.assets, asset_versions, receipts, licenses, payments) from
 * chain.events. The projection is a fold over the ordered events ({@link Projection}); each table's snapshot
 * summary records which chain.events snapshot it reflects.
 *
 * <p>Two ways to bring the tables up to date (see docs/decisions/indexer-projections.md):
 * <ul>
 *   <li><b>incremental</b>: when this projector's in-memory state and every table reflect the chain.events snapshot
 *       the caller's new events were appended to, only the new events are folded in and only the rows they (or the
 *       moving finality window) changed are rewritten;
 *   <li><b>full rebuild</b> otherwise: after a rollback, a crash between the events commit and the projections,
 *       a table changed by someone else, or the first run of a process. Every event is read back and every table
 *       overwritten.
 * </ul>
 * Rows carry the chain position of the newest event that shaped them, and its finality against the indexed head.
 * {@code chain.asset_versions.lakehouse_tag} comes from the publish runs in ops.job_runs ({@link PublishedTags}).
 */
public final class StateProjector {
  /** Summary key: the chain.events snapshot id a projection reflects. */
  public static final String EVENTS_SNAPSHOT_KEY = "ledgerlake.indexer.events-snapshot";
  /** Summary key of chain.asset_versions: the ops.job_runs snapshot its lakehouse tags were read from. */
  public static final String JOB_RUNS_SNAPSHOT_KEY = "ledgerlake.indexer.job-runs-snapshot";
  public static final List<TableDefinition> TABLES = List.of(TableModel.CHAIN_ASSETS,
      TableModel.CHAIN_ASSET_VERSIONS, TableModel.CHAIN_RECEIPTS, TableModel.CHAIN_LICENSES,
      TableModel.CHAIN_PAYMENTS);
  private static final Logger LOG = LoggerFactory.getLogger(StateProjector.class);
  private static final String NONE = "none";

  /** How a refresh brought the tables up to date. */
  public enum Refresh {
    /** Every table already reflected the current chain.events snapshot. */
    UP_TO_DATE,
    /** Only the rows the new events changed were written. */
    INCREMENTAL,
    /** Every table was rebuilt from all of chain.events. */
    REBUILT
  }

  /**
   * Events appended to chain.events since snapshot {@code base} (null: the table was empty), by the caller, with no
   * rollback in between; in chain order.
   */
  public record Delta(Long base, List<ChainEvent> appended) {
    public Delta {
      appended = List.copyOf(appended);
    }
  }

  private final Lakehouse lakehouse;
  private final IndexerOptions options;
  private final Executor helper;
  /** What the tables hold, when known: the fold of chain.events up to {@link #stateSnapshot}. */
  private Projection state;
  private Long stateSnapshot;
  /** The head the finality of the written rows was computed against; -1 when no row was written yet. */
  private long stateHead;
  /** Work done while the current run reads the chain (see {@link #beginRun}); null when not staging. */
  private Staging staging;

  /** Rows of keys new in the current run, written to files before the run's events are committed. */
  private static final class StagedFile {
    final List<DataFile> files;
    final Set<String> keys;
    final long head;
    final long maxBlock;
    boolean dirty; // a key changed again after it was written, or its finality may have

    StagedFile(List<DataFile> files, Set<String> keys, long head, long maxBlock) {
      this.files = files;
      this.keys = keys;
      this.head = head;
      this.maxBlock = maxBlock;
    }
  }

  private static final class Staging {
    final Long base;
    final String jobRunsId;
    final PublishedTags tags;
    final Map<TableDefinition, Table> tables;
    final Map<TableDefinition, List<StagedFile>> files = new HashMap<>();
    final Map<TableDefinition, Map<String, StagedFile>> fileOfKey = new HashMap<>();
    /** Changes left for the end of the run, with the block of the key's previous row (as Projection reports). */
    final Map<TableDefinition, Map<String, Long>> pending = new HashMap<>();
    long staged;

    Staging(Long base, String jobRunsId, PublishedTags tags, Map<TableDefinition, Table> tables) {
      this.base = base;
      this.jobRunsId = jobRunsId;
      this.tags = tags;
      this.tables = tables;
      for (TableDefinition def : TABLES) {
        files.put(def, new ArrayList<>());
        fileOfKey.put(def, new HashMap<>());
        pending.put(def, new HashMap<>());
      }
    }

    void discard() {
      files.forEach((def, list) -> list.forEach(f -> TableAppender.discard(tables.get(def), f.files)));
    }
  }

  public StateProjector(Lakehouse lakehouse, IndexerOptions options) {
    this(lakehouse, options, Runnable::run);
  }

  /**
   * @param helper runs one side of the table writes while the calling thread does the other (the indexer lends its
   *     prefetch thread, idle at that point)
   */
  public StateProjector(Lakehouse lakehouse, IndexerOptions options, Executor helper) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.options = requireNonNull(options, "options");
    this.helper = requireNonNull(helper, "helper");
  }

  /**
   * Starts a run that will append to chain.events snapshot {@code base} (null: empty): if this projector's state
   * and every table reflect {@code base}, the events of the run can be folded in and the rows of new keys written
   * as they are read ({@link #stage}), while the next range is being fetched, instead of all at the end.
   */
  public void beginRun(Table events, Long base) {
    abandonRun();
    Table jobRuns = lakehouse.table(TableModel.OPS_JOB_RUNS);
    jobRuns.refresh();
    String jobRunsId = jobRuns.currentSnapshot() == null ? NONE : Long.toString(jobRuns.currentSnapshot().snapshotId());
    String expected = base == null ? NONE : Long.toString(base);
    Map<TableDefinition, Table> tables = new LinkedHashMap<>();
    boolean current = true;
    for (TableDefinition def : TABLES) {
      Table t = lakehouse.table(def);
      t.refresh();
      tables.put(def, t);
      String r = t.currentSnapshot() == null ? NONE : t.currentSnapshot().summary().get(EVENTS_SNAPSHOT_KEY);
      current &= expected.equals(r);
    }
    if (!current) {
      return;
    }
    if (state == null && base == null) {
      state = new Projection(); // nothing indexed, nothing projected: the empty state is exact
      stateSnapshot = null;
      stateHead = -1;
    }
    if (state != null && Objects.equals(stateSnapshot, base)) {
      staging = new Staging(base, jobRunsId, PublishedTags.read(jobRuns), tables);
    }
  }

  /**
   * Folds {@code events} (the next whole blocks of the run, in chain order, not committed yet) into the state and
   * writes the rows of keys they created to files that the end of the run commits. Does nothing when the run is not
   * staging. The caller must {@link #abandonRun()} if these events are not committed after all.
   */
  public void stage(List<ChainEvent> events, long head) {
    if (staging == null) {
      return;
    }
    try {
      state.apply(events);
      staging.staged += events.size();
      Map<TableDefinition, Map<String, Long>> changes = state.takeChanges();
      for (TableDefinition def : TABLES) {
        Map<String, StagedFile> fileOfKey = staging.fileOfKey.get(def);
        Map<String, Long> pending = staging.pending.get(def);
        Map<String, Map<String, Object>> rows = state.rows(def);
        Set<String> fresh = new LinkedHashSet<>();
        for (Map.Entry<String, Long> c : changes.get(def).entrySet()) {
          StagedFile earlier = fileOfKey.get(c.getKey());
          if (earlier != null) {
            earlier.dirty = true;
          }
          if (earlier == null && c.getValue() == null && rows.containsKey(c.getKey())) {
            fresh.add(c.getKey());
          } else if (!pending.containsKey(c.getKey())) {
            pending.put(c.getKey(), c.getValue());
          }
        }
        if (fresh.isEmpty()) {
          continue;
        }
        Table t = staging.tables.get(def);
        List<Record> records = new ArrayList<>(fresh.size());
        long maxBlock = Long.MIN_VALUE;
        for (String key : fresh) {
          Map<String, Object> values = rows.get(key);
          maxBlock = Math.max(maxBlock, (Long) values.get("block_number"));
          records.add(record(t, def, values, head, staging.tags));
        }
        StagedFile f = new StagedFile(write(t, records), fresh, head, maxBlock);
        staging.files.get(def).add(f);
        fresh.forEach(k -> fileOfKey.put(k, f));
      }
    } catch (RuntimeException e) {
      abandonRun();
      throw e;
    }
  }

  /** Drops the current run's staged work (its events were not all committed): the next refresh rebuilds. */
  public void abandonRun() {
    if (staging != null) {
      staging.discard();
      staging = null;
      state = null;
    }
  }

  /**
   * Brings every table to the current chain.events snapshot.
   *
   * @param head the chain head the finality column is computed against (the cursor's)
   * @param delta the events the caller appended since the tables were last brought up to date, or null when
   *     unknown (a rollback, or another process): then any stale table means a full rebuild
   */
  public Refresh refresh(Table events, long head, Delta delta) {
    if (staging != null && staging.staged == 0) {
      staging = null; // a run that read no events staged nothing
    }
    events.refresh();
    Snapshot snap = events.currentSnapshot();
    if (snap == null) {
      return Refresh.UP_TO_DATE;
    }
    String id = Long.toString(snap.snapshotId());
    Table jobRuns = lakehouse.table(TableModel.OPS_JOB_RUNS);
    jobRuns.refresh();
    String jobRunsId = jobRuns.currentSnapshot() == null ? NONE : Long.toString(jobRuns.currentSnapshot().snapshotId());
    Map<TableDefinition, Table> tables = new LinkedHashMap<>();
    Map<TableDefinition, String> reflected = new HashMap<>();
    boolean stale = false;
    for (TableDefinition def : TABLES) {
      Table t = lakehouse.table(def);
      t.refresh();
      tables.put(def, t);
      String r = t.currentSnapshot() == null ? NONE : t.currentSnapshot().summary().getOrDefault(EVENTS_SNAPSHOT_KEY,
          "unknown");
      reflected.put(def, r);
      stale |= !id.equals(r);
    }
    boolean tagsStale = !jobRunsId.equals(summaryValue(tables.get(TableModel.CHAIN_ASSET_VERSIONS),
        JOB_RUNS_SNAPSHOT_KEY));
    if (!stale && !tagsStale) {
      return Refresh.UP_TO_DATE;
    }
    PublishedTags tags = PublishedTags.read(jobRuns);
    if (staging != null) {
      Staging run = staging;
      staging = null;
      if (delta != null && Objects.equals(delta.base(), run.base) && run.staged == delta.appended().size()
          && reflected.values().stream().allMatch((run.base == null ? NONE : Long.toString(run.base))::equals)) {
        finishRun(run, snap, head, tables, tags, jobRunsId, tagsStale || !jobRunsId.equals(run.jobRunsId));
        return Refresh.INCREMENTAL;
      }
      run.discard();
      state = null;
    }
    if (delta != null && state == null && delta.base() == null
        && reflected.values().stream().allMatch(NONE::equals)) {
      // Nothing indexed before this run and nothing projected: the empty state is exact.
      state = new Projection();
      stateSnapshot = null;
      stateHead = -1;
    }
    String base = delta == null || delta.base() == null ? NONE : Long.toString(delta.base());
    boolean incremental = state != null && (delta != null ? Objects.equals(stateSnapshot, delta.base())
        && reflected.values().stream().allMatch(base::equals) : !stale && Objects.equals(stateSnapshot,
        snap.snapshotId()));
    if (!incremental) {
      rebuild(events, snap, head, tables, tags, jobRunsId);
      return Refresh.REBUILT;
    }
    state.apply(delta == null ? List.of() : sorted(delta.appended()));
    Map<TableDefinition, Map<String, Long>> changes = state.takeChanges();
    long rewriteFrom = rewriteFrom(head);
    Map<TableDefinition, Supplier<Prepared>> writes = new LinkedHashMap<>();
    for (TableDefinition def : TABLES) {
      Table t = tables.get(def);
      Map<String, String> summary = summary(def, id, jobRunsId);
      if (def.equals(TableModel.CHAIN_ASSET_VERSIONS) && tagsStale) {
        // New publish runs may name versions indexed long ago: the table is small, rewrite it whole.
        writes.put(def, () -> prepareAll(t, def, head, tags, summary));
      } else {
        writes.put(def, () -> prepareChanges(t, def, changes.get(def), rewriteFrom, head, tags, summary,
            List.of()));
      }
    }
    commitAll(writes, snap, head);
    LOG.debug("Applied {} new chain events to the current-state tables (chain.events snapshot {})",
        delta == null ? 0 : delta.appended().size(), id);
    return Refresh.INCREMENTAL;
  }

  /** Rows at or above this block may have changed finality since the tables were written. */
  private long rewriteFrom(long head) {
    return stateHead < 0 || head == stateHead ? Long.MAX_VALUE
        : Math.max(0, stateHead - options.finalizedDepth() + 1);
  }

  /**
   * Commits a staged run: staged files whose keys did not change again (and whose finality cannot have moved)
   * are committed as written; the rest of the changes go the incremental way.
   */
  private void finishRun(Staging run, Snapshot snap, long head, Map<TableDefinition, Table> tables,
      PublishedTags tags, String jobRunsId, boolean rewriteVersions) {
    String id = Long.toString(snap.snapshotId());
    long rewriteFrom = rewriteFrom(head);
    Map<TableDefinition, Supplier<Prepared>> writes = new LinkedHashMap<>();
    try {
      for (TableDefinition def : TABLES) {
        Table t = tables.get(def);
        Map<String, String> summary = summary(def, id, jobRunsId);
        Map<String, Long> changed = new HashMap<>(run.pending.get(def));
        List<DataFile> keep = new ArrayList<>();
        boolean wholeTable = def.equals(TableModel.CHAIN_ASSET_VERSIONS) && rewriteVersions;
        for (StagedFile f : run.files.get(def)) {
          boolean finalityMoved = f.head != head && f.maxBlock >= f.head - options.finalizedDepth() + 1;
          if (wholeTable || f.dirty || finalityMoved) {
            TableAppender.discard(t, f.files);
            f.keys.forEach(k -> changed.putIfAbsent(k, null));
          } else {
            keep.addAll(f.files);
          }
        }
        if (wholeTable) {
          writes.put(def, () -> prepareAll(t, def, head, tags, summary));
        } else {
          writes.put(def, () -> prepareChanges(t, def, changed, rewriteFrom, head, tags, summary, keep));
        }
      }
    } catch (RuntimeException e) {
      state = null;
      throw e;
    }
    commitAll(writes, snap, head);
  }

  /** Writes and commits every table; the state then reflects {@code snap} at {@code head}. */
  private void commitAll(Map<TableDefinition, Supplier<Prepared>> writes, Snapshot snap, long head) {
    try {
      writeAndCommit(writes);
    } catch (RuntimeException e) {
      state = null; // some tables may be committed, others not: the next refresh rebuilds
      throw e;
    }
    stateSnapshot = snap.snapshotId();
    stateHead = head;
  }

  /** {@link #refresh(Table, long, Delta)} without a delta: rebuilds whatever is stale. */
  public Refresh refresh(Table events, long head) {
    return refresh(events, head, null);
  }

  /**
   * Rebuilds every table from all of chain.events, whatever they reflect (repair after a manual change, or to
   * check the incremental path); false if chain.events is empty.
   */
  public boolean rebuild(Table events, long head) {
    events.refresh();
    Snapshot snap = events.currentSnapshot();
    if (snap == null) {
      return false;
    }
    Table jobRuns = lakehouse.table(TableModel.OPS_JOB_RUNS);
    jobRuns.refresh();
    String jobRunsId = jobRuns.currentSnapshot() == null ? NONE : Long.toString(jobRuns.currentSnapshot().snapshotId());
    Map<TableDefinition, Table> tables = new LinkedHashMap<>();
    for (TableDefinition def : TABLES) {
      Table t = lakehouse.table(def);
      t.refresh();
      tables.put(def, t);
    }
    rebuild(events, snap, head, tables, PublishedTags.read(jobRuns), jobRunsId);
    return true;
  }

  private void rebuild(Table events, Snapshot snap, long head, Map<TableDefinition, Table> tables,
      PublishedTags tags, String jobRunsId) {
    state = null; // if a write fails below, the tables are in an unknown mix: rebuild again next time
    Projection p = new Projection();
    p.apply(ChainEventsTable.read(events, snap.snapshotId()));
    p.takeChanges();
    String id = Long.toString(snap.snapshotId());
    state = p;
    try {
      Map<TableDefinition, Supplier<Prepared>> writes = new LinkedHashMap<>();
      for (TableDefinition def : TABLES) {
        writes.put(def, () -> prepareAll(tables.get(def), def, head, tags, summary(def, id, jobRunsId)));
      }
      writeAndCommit(writes);
    } catch (RuntimeException e) {
      state = null;
      throw e;
    }
    stateSnapshot = snap.snapshotId();
    stateHead = head;
    LOG.info("Rebuilt chain current-state tables from chain.events snapshot {}", id);
  }

  private static Map<String, String> summary(TableDefinition def, String eventsId, String jobRunsId) {
    return def.equals(TableModel.CHAIN_ASSET_VERSIONS)
        ? Map.of(EVENTS_SNAPSHOT_KEY, eventsId, JOB_RUNS_SNAPSHOT_KEY, jobRunsId)
        : Map.of(EVENTS_SNAPSHOT_KEY, eventsId);
  }

  private static String summaryValue(Table t, String key) {
    return t.currentSnapshot() == null ? null : t.currentSnapshot().summary().get(key);
  }

  /** One table's new files, written but not committed, and the files they replace. */
  private record Prepared(Table table, List<DataFile> remove, List<DataFile> written, Map<String, String> summary,
      Long expectedSnapshot) {}

  /**
   * Writes every table's files, on the helper thread and this one at once (the tables are independent), then
   * commits them one by one: the catalog (SQLite in the embedded setup) takes one writer at a time. Files of
   * tables not committed are deleted if anything fails.
   */
  private void writeAndCommit(Map<TableDefinition, Supplier<Prepared>> writes) {
    List<TableDefinition> defs = new ArrayList<>(writes.keySet());
    Map<TableDefinition, CompletableFuture<Prepared>> offloaded = new HashMap<>();
    // The largest table (receipts) stays on this thread; the others go to the helper, in order.
    for (TableDefinition def : defs) {
      if (!def.equals(TableModel.CHAIN_RECEIPTS)) {
        offloaded.put(def, CompletableFuture.supplyAsync(writes.get(def), helper));
      }
    }
    Map<TableDefinition, Prepared> prepared = new LinkedHashMap<>();
    RuntimeException failure = null;
    try {
      if (writes.containsKey(TableModel.CHAIN_RECEIPTS)) {
        prepared.put(TableModel.CHAIN_RECEIPTS, writes.get(TableModel.CHAIN_RECEIPTS).get());
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    for (TableDefinition def : defs) {
      CompletableFuture<Prepared> f = offloaded.get(def);
      if (f == null) {
        continue;
      }
      try {
        prepared.put(def, f.join());
      } catch (CompletionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    for (TableDefinition def : defs) {
      Prepared p = prepared.remove(def);
      if (p == null) {
        continue;
      }
      if (failure != null) {
        TableAppender.discard(p.table(), p.written());
        continue;
      }
      try {
        TableAppender.replaceWithFiles(p.table(), p.remove(), p.written(), p.summary(), p.expectedSnapshot());
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Prepared prepareAll(Table t, TableDefinition def, long head, PublishedTags tags,
      Map<String, String> summary) {
    List<Record> rows = new ArrayList<>();
    for (Map<String, Object> values : state.rows(def).values()) {
      rows.add(record(t, def, values, head, tags));
    }
    return prepared(t, TableFiles.filesMatching(t, Expressions.alwaysTrue()), rows, summary);
  }

  /**
   * Rewrites the data files that hold a changed key's previous row or a row whose finality can change (block at or
   * above {@code rewriteFrom}); the rewritten files' rows and the changed keys are written from the state.
   */
  private Prepared prepareChanges(Table t, TableDefinition def, Map<String, Long> changed, long rewriteFrom,
      long head, PublishedTags tags, Map<String, String> summary, List<DataFile> keep) {
    Set<Long> previousBlocks = new LinkedHashSet<>();
    changed.values().stream().filter(Objects::nonNull).forEach(previousBlocks::add);
    Expression filter = Expressions.alwaysFalse();
    if (rewriteFrom != Long.MAX_VALUE) {
      filter = Expressions.greaterThanOrEqual("block_number", rewriteFrom);
    }
    if (!previousBlocks.isEmpty()) {
      filter = Expressions.or(filter, Expressions.in("block_number", previousBlocks));
    }
    List<DataFile> rewrite = filter == Expressions.alwaysFalse() ? List.of() : TableFiles.filesMatching(t, filter);
    Set<String> keys = new LinkedHashSet<>(changed.keySet());
    String keyColumn = Projection.KEY_COLUMNS.get(def);
    for (DataFile f : rewrite) {
      for (Record r : TableFiles.read(t, f)) {
        keys.add((String) r.getField(keyColumn));
      }
    }
    List<Record> rows = new ArrayList<>(keys.size());
    Map<String, Map<String, Object>> current = state.rows(def);
    for (String key : keys) {
      Map<String, Object> values = current.get(key);
      if (values != null) { // null: removed
        rows.add(record(t, def, values, head, tags));
      }
    }
    Prepared p = prepared(t, rewrite, rows, summary);
    List<DataFile> written = new ArrayList<>(p.written());
    written.addAll(keep);
    return new Prepared(t, rewrite, written, summary, p.expectedSnapshot());
  }

  private static Prepared prepared(Table t, List<DataFile> remove, List<Record> rows, Map<String, String> summary) {
    return new Prepared(t, remove, write(t, rows), summary, snapshotId(t));
  }

  private static List<DataFile> write(Table t, List<Record> rows) {
    List<DataFile> written = new ArrayList<>();
    for (List<Record> group : ChainEventsTable.splitByFinality(rows)) {
      if (!group.isEmpty()) {
        written.addAll(TableAppender.writeFiles(t, group));
      }
    }
    return written;
  }

  private Record record(Table t, TableDefinition def, Map<String, Object> values, long head, PublishedTags tags) {
    Map<String, Object> v = new HashMap<>(values);
    v.put("finality", options.finalityOf((Long) values.get("block_number"), head).column());
    if (def.equals(TableModel.CHAIN_ASSET_VERSIONS)) {
      v.put("lakehouse_tag", tags.tagOf((String) values.get("version_id"), (String) values.get("manifest_cid"))
          .orElse(null));
    }
    return Rows.of(t.schema(), v);
  }

  private static Long snapshotId(Table t) {
    return t.currentSnapshot() == null ? null : t.currentSnapshot().snapshotId();
  }

  private static List<ChainEvent> sorted(List<ChainEvent> events) {
    List<ChainEvent> out = new ArrayList<>(events);
    out.sort(Comparator.comparingLong(ChainEvent::block).thenComparingInt(ChainEvent::logIndex));
    return out;
  }

  /** The projection of {@code events} (in chain order) as rows per table. Package-private for tests. */
  static Map<TableDefinition, List<Map<String, Object>>> project(List<ChainEvent> events) {
    Projection p = new Projection();
    p.apply(events);
    Map<TableDefinition, List<Map<String, Object>>> out = new HashMap<>();
    for (TableDefinition def : TABLES) {
      out.put(def, List.copyOf(p.rows(def).values()));
    }
    return out;
  }
}
