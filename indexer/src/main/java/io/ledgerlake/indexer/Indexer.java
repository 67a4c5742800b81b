package io.ledgerlake.indexer;

import io.ledgerlake.indexer.store.ChainEvent;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.indexer.decode.AbiEventDecoder;
import io.ledgerlake.indexer.decode.DecodedEvent;
import io.ledgerlake.indexer.project.StateProjector;
import io.ledgerlake.indexer.source.BlockHeader;
import io.ledgerlake.indexer.source.ChainSource;
import io.ledgerlake.indexer.source.RawLog;
import io.ledgerlake.indexer.source.Web3jChainSource;
import io.ledgerlake.indexer.store.ChainEventsTable;
import io.ledgerlake.indexer.store.IndexerCursor;
import io.ledgerlake.indexer.store.IndexerCursor.BlockHash;
import io.ledgerlake.indexer.store.SnapshotExpiry;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes the LedgerLake contracts of one deployment into chain.events and the current-state tables.
 *
 * <p>Correctness rests on three rules: (1) the cursor is committed in the same Iceberg snapshot as the rows it
 * covers, so a crash at any point leaves either both or neither; (2) before every batch the hash of the cursor
 * block is compared with the node's, and on a mismatch the newest block of the hash log that is still canonical
 * is the fork point: every row above it is removed (its ancestors are canonical by the hash chain); (3) a batch
 * is only committed if the header of its last block is the same before and after eth_getLogs.
 *
 * <p>Not thread-safe; run one indexer per lakehouse (a second one fails its commit instead of corrupting state).
 */
public final class Indexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);

  private final ChainSource source;
  private final AutoCloseable ownedSource;
  private final Deployment deployment;
  private final IndexerOptions options;
  private final AbiEventDecoder decoder;
  private final ChainEventsTable events;
  private final StateProjector projector;
  private final Schema schema;
  private final Lakehouse lakehouse;
  private int range;
  /** Fetches the next eth_getLogs range while the current one is decoded, and more; created on first use. */
  private ExecutorService prefetcher;
  private ExecutorService writer;
  private boolean writePropertiesApplied;

  private Indexer(Lakehouse lakehouse, ChainSource source, AutoCloseable ownedSource, Deployment deployment,
      IndexerOptions options) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.source = requireNonNull(source, "source");
    this.ownedSource = ownedSource;
    this.deployment = requireNonNull(deployment, "deployment");
    this.options = requireNonNull(options, "options");
    this.decoder = AbiEventDecoder.forDeployment(deployment);
    this.events = new ChainEventsTable(lakehouse.table(TableModel.CHAIN_EVENTS), options);
    this.projector = new StateProjector(lakehouse, options, task -> helper().execute(task));
    this.schema = events.table().schema();
    this.range = options.initialRange();
  }

  /** An indexer over {@code source}; the caller owns (and closes) the source. */
  public static Indexer create(Lakehouse lakehouse, ChainSource source, Deployment deployment,
      IndexerOptions options) {
    return new Indexer(lakehouse, source, null, deployment, options);
  }

  /**
   * An indexer for the node and deployment file named in the provenance options (what {@code ledgerlake index}
   * and {@code ledgerlake up} use). Closing it closes the node connection.
   */
  public static Indexer connect(Lakehouse lakehouse, ProvenanceOptions provenance, IndexerOptions options) {
    Deployment deployment = Deployment.read(provenance.deploymentFile());
    Web3jChainSource source = Web3jChainSource.connect(provenance.rpcUrl(), options.rpcTimeout());
    return new Indexer(lakehouse, source, source, deployment, options);
  }

  /** Catches up with the node's head, refreshes the current-state tables, and returns what it did. */
  public RunSummary runOnce() {
    Instant started = Instant.now();
    long nodeChain = source.chainId();
    if (nodeChain != deployment.chainId()) {
      throw new ChainMismatchException(deployment.chainId(), nodeChain, source.describe());
    }
    IndexerCursor cursor = events.cursor().orElseGet(() -> initialCursor(nodeChain));
    if (cursor.chainId() != nodeChain) {
      throw new ChainMismatchException(cursor.chainId(), nodeChain, source.describe());
    }
    if (!writePropertiesApplied) {
      // Here rather than in LakehouseInitializer so tables created before the setting existed get it too.
      List<String> added = events.applyWriteProperties();
      if (!added.isEmpty()) {
        LOG.info("Set Parquet write properties {} on {}", added, events.table().name());
      }
      writePropertiesApplied = true;
    }
    // What this run appends, for the incremental projection; null once a rollback makes it a full rebuild.
    Long base = events.snapshotId();
    List<ChainEvent> appended = new ArrayList<>();
    projector.beginRun(events.table(), base);
    try {
      return catchUp(started, nodeChain, cursor, base, appended);
    } catch (RuntimeException e) {
      projector.abandonRun();
      throw e;
    }
  }

  private RunSummary catchUp(Instant started, long nodeChain, IndexerCursor start, Long base,
      List<ChainEvent> appended) {
    IndexerCursor cursor = start;
    long fromBlock = cursor.block() + 1;
    long indexed = 0;
    long rolledBack = 0;
    int reorgs = 0;
    int commits = 0;
    long head;
    long[] timers = new long[3]; // waiting for eth_getLogs, decoding, committing (nanoseconds)
    while (true) {
      head = source.headBlockNumber();
      Optional<BlockHash> fork = forkPoint(cursor, head);
      if (fork.isPresent()) {
        BlockHash f = fork.get();
        long forkTime = f.number() < 0 ? 0 : source.header(f.number()).timestamp().getEpochSecond();
        IndexerCursor back = cursor.rollBackTo(f, forkTime, head);
        ChainEventsTable.Committed c = events.commit(List.of(), refreshFrom(cursor, head), f.number(), back,
            events.snapshotId());
        LOG.info("Reorg on chain {}: indexed block {} ({}) is no longer canonical; rolled back to block {}, "
            + "removed {} events", nodeChain, cursor.block(), cursor.hash(), f.number(), c.droppedRows());
        reorgs++;
        commits++;
        rolledBack += c.droppedRows();
        appended = null;
        projector.abandonRun();
        cursor = back;
        fromBlock = Math.min(fromBlock, f.number() + 1);
        continue;
      }
      if (cursor.block() >= head) {
        if (head != cursor.head()) {
          // Nothing new to read, but the head moved: refresh the finality of the recent rows.
          IndexerCursor refreshed = new IndexerCursor(cursor.chainId(), cursor.block(), cursor.hash(),
              cursor.blockTime(), head, cursor.recent());
          events.commit(List.of(), refreshFrom(cursor, head), Long.MAX_VALUE, refreshed, events.snapshotId());
          commits++;
          cursor = refreshed;
        }
        break;
      }
      Batch batch = fetchBatch(cursor, head, timers);
      if (batch == null) {
        projector.abandonRun(); // its events were staged but are not committed
        continue; // a reorg while reading: the fork check at the top of the loop finds it
      }
      long t = System.nanoTime();
      IndexerCursor next = cursor.advance(batch.last().number(), batch.last().hash(),
          batch.last().timestamp().getEpochSecond(), head, batch.seen(), options.hashLogSize());
      events.commit(batch.files(), List.of(), refreshFrom(cursor, head), Long.MAX_VALUE, next, events.snapshotId());
      timers[2] += System.nanoTime() - t;
      commits++;
      indexed += batch.events().size();
      if (appended != null) {
        appended.addAll(batch.events());
      }
      cursor = next;
    }
    Instant projecting = Instant.now();
    StateProjector.Refresh refresh = projector.refresh(events.table(), cursor.head(),
        appended == null ? null : new StateProjector.Delta(base, appended));
    boolean rebuilt = refresh != StateProjector.Refresh.UP_TO_DATE;
    Duration projection = Duration.between(projecting, Instant.now());
    IndexerLag lag = lag(cursor, head);
    RunSummary summary = new RunSummary(nodeChain, fromBlock, cursor.block(), head, indexed, reorgs, rolledBack,
        commits, rebuilt, Duration.between(started, Instant.now()), projection, lag, refresh);
    if (commits > 0) {
      LOG.info("Indexed {}; waited {} ms for eth_getLogs, decoded for {} ms, committed for {} ms", summary.describe(),
          timers[0] / 1_000_000, timers[1] / 1_000_000, timers[2] / 1_000_000);
    }
    return summary;
  }

  /**
   * Runs {@link #runOnce()} every {@code pollInterval} until {@code stop} returns true (checked between runs).
   * Node failures are logged and retried at the next poll; configuration errors and broken state end the loop.
   */
  public void follow(Duration pollInterval, BooleanSupplier stop, Consumer<RunSummary> onRun) {
    requireNonNull(pollInterval, "pollInterval");
    requireNonNull(stop, "stop");
    requireNonNull(onRun, "onRun");
    long lastExpiry = System.nanoTime();
    while (!stop.getAsBoolean()) {
      try {
        onRun.accept(runOnce());
      } catch (IndexerException e) {
        if (e.category() != ErrorCategory.EXTERNAL) {
          throw e;
        }
        LOG.warn("Indexing failed, retrying in {} ms: {}", pollInterval.toMillis(), e.getMessage());
      }
      Duration every = options.expireInterval();
      if (!every.isZero() && System.nanoTime() - lastExpiry >= every.toNanos()) {
        lastExpiry = System.nanoTime();
        try {
          expireSnapshots();
        } catch (RuntimeException e) {
          // Expiry only bounds metadata growth; indexing goes on and the next interval tries again.
          LOG.warn("Expiring old snapshots of the chain tables failed: {}", e.getMessage(), e);
        }
      }
      long until = System.nanoTime() + pollInterval.toNanos();
      while (!stop.getAsBoolean() && System.nanoTime() < until) {
        try {
          Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** {@link #follow(Duration, BooleanSupplier, Consumer)} with the configured poll interval. */
  public void follow(BooleanSupplier stop) {
    follow(options.pollInterval(), stop, s -> { });
  }

  /** Logs of one eth_getLogs range, with the header of its last block read before and after them. */
  private record Fetched(long from, long to, BlockHeader before, List<RawLog> logs, BlockHeader after) {
    boolean consistent() {
      if (!after.hash().equals(before.hash())) {
        return false;
      }
      for (RawLog l : logs) {
        if (l.blockNumber() == after.number() && !l.blockHash().equals(after.hash())) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Consecutive ranges, decoded and written to not yet committed files, to be committed together; {@code ends} are
   * the ranges' last blocks.
   */
  private record Batch(List<DataFile> files, List<ChainEvent> events, List<BlockHash> seen,
      List<BlockHeader> ends) {
    BlockHeader last() {
      return ends.get(ends.size() - 1);
    }
  }

  private Fetched fetch(long from, long to) {
    BlockHeader before = source.header(to);
    List<RawLog> logs = source.logs(from, to, decoder.addresses());
    return new Fetched(from, to, before, logs, source.header(to));
  }

  /**
   * Reads and decodes consecutive ranges after {@code cursor} up to {@code head}, until {@link
   * IndexerOptions#commitEvents()} events: the next range is fetched on the prefetch thread while this one is decoded.
   * Returns null when a range end read earlier is no longer canonical (a reorg while reading): nothing of the
   * batch may then be committed.
   */
  private Batch fetchBatch(IndexerCursor cursor, long head, long[] timers) {
    List<Future<List<DataFile>>> writes = new ArrayList<>();
    Batch batch = null;
    try {
      batch = fetchBatch(cursor, head, timers, writes);
      return batch;
    } finally {
      if (batch == null) { // failed, or discarded after a reorg: none of its files may stay
        for (Future<List<DataFile>> w : writes) {
          try {
            events.discard(w.get());
          } catch (ExecutionException | RuntimeException e) {
            // that write failed: it left no file
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  private Batch fetchBatch(IndexerCursor cursor, long head, long[] timers, List<Future<List<DataFile>>> writes) {
    List<ChainEvent> decoded = new ArrayList<>();
    Set<BlockHash> seen = new LinkedHashSet<>();
    List<BlockHeader> ends = new ArrayList<>();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    long from = cursor.block() + 1;
    Future<Fetched> pending = prefetch(from, Math.min(head, from + range - 1));
    while (true) {
      long t = System.nanoTime();
      Fetched f;
      try {
        f = await(pending);
      } catch (ChainSourceException e) {
        long to = Math.min(head, from + range - 1);
        if (e.rangeTooLarge() && to > from) {
          range = (int) Math.max(1, (to - from + 1) / 2);
          LOG.info("eth_getLogs {}..{} was too large ({}); retrying with ranges of {} blocks", from, to,
              e.getMessage(), range);
          pending = prefetch(from, Math.min(head, from + range - 1));
          continue;
        }
        throw e;
      } finally {
        timers[0] += System.nanoTime() - t;
      }
      if (!f.consistent()) {
        LOG.info("Block {} changed while its logs were read (reorg in progress); reading again", f.to());
        pending = prefetch(f.from(), f.to());
        continue;
      }
      adaptRange(f);
      from = f.to() + 1;
      boolean more = from <= head && decoded.size() + f.logs().size() < options.commitEvents();
      if (more) {
        pending = prefetch(from, Math.min(head, from + range - 1)); // overlaps the decoding below
      }
      t = System.nanoTime();
      try {
        List<Record> rows = new ArrayList<>(f.logs().size());
        List<ChainEvent> rangeEvents = new ArrayList<>(f.logs().size());
        for (RawLog log : f.logs()) {
          ChainEvent e = event(log, head);
          rows.add(ChainEventsTable.toRow(schema, e, log.address(), now));
          rangeEvents.add(e);
          decoded.add(e);
          seen.add(new BlockHash(log.blockNumber(), log.blockHash()));
        }
        writes.add(writer().submit(() -> events.write(rows))); // while the next range is fetched and decoded
        projector.stage(rangeEvents, head);
      } catch (RuntimeException e) {
        if (more) {
          pending.cancel(true); // the source is only ever used by one thread at a time
        }
        throw e;
      }
      ends.add(f.after());
      seen.add(new BlockHash(f.after().number(), f.after().hash()));
      timers[1] += System.nanoTime() - t;
      if (!more) {
        break;
      }
    }
    // Each range was consistent when read; a reorg between two ranges shows as an earlier end that changed.
    // (The last end was just checked; a reorg after this check is found on the committed cursor next time.)
    for (int i = 0; i < ends.size() - 1; i++) {
      BlockHeader end = ends.get(i);
      if (!source.header(end.number()).hash().equals(end.hash())) {
        LOG.info("Block {} changed while a batch was read (reorg in progress); reading the batch again",
            end.number());
        return null;
      }
    }
    long t = System.nanoTime();
    List<DataFile> files = new ArrayList<>();
    for (Future<List<DataFile>> w : writes) {
      files.addAll(await(w));
    }
    timers[1] += System.nanoTime() - t;
    return new Batch(List.copyOf(files), decoded, List.copyOf(seen), ends);
  }

  /**
   * Doubles the range after a success, up to the maximum, but aims at about {@link IndexerOptions#rangeEvents()}
   * logs per call: providers cap results per call, and smaller calls let fetching overlap decoding.
   */
  private void adaptRange(Fetched f) {
    long blocks = f.to() - f.from() + 1;
    int n = f.logs().size();
    if (n > options.rangeEvents()) {
      range = (int) Math.max(1, blocks * options.rangeEvents() / n);
    } else {
      range = (int) Math.min(options.maxRange(), Math.max(range, blocks) * 2);
    }
  }

  private Future<Fetched> prefetch(long from, long to) {
    return helper().submit(() -> fetch(from, to));
  }

  /** Writes chain.events files of decoded ranges while the main thread decodes the next; created on first use. */
  private synchronized ExecutorService writer() {
    if (writer == null) {
      writer = daemonThread("indexer-writer");
    }
    return writer;
  }

  /** The second thread: fetches the next range during decoding, and writes projection files beside this one. */
  private synchronized ExecutorService helper() {
    if (prefetcher == null) {
      prefetcher = daemonThread("indexer-helper");
    }
    return prefetcher;
  }

  /** A single daemon thread: an indexer left unclosed must not keep the JVM alive. */
  private static ExecutorService daemonThread(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  private static <T> T await(Future<T> pending) {
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.cancel(true);
      throw new ChainSourceException("interrupted while reading and writing logs", false, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ChainSourceException("reading or writing logs failed: " + e.getCause(), false, e.getCause());
    }
  }

  /**
   * Rebuilds the current-state tables from all of chain.events (a repair: runs normally keep them up to date
   * incrementally, and rebuild by themselves after a rollback or a crash between commits); false if nothing is
   * indexed yet.
   */
  public boolean rebuildProjections() {
    Optional<IndexerCursor> cursor = events.cursor();
    return cursor.isPresent() && projector.rebuild(events.table(), cursor.get().head());
  }

  /**
   * Expires snapshots of chain.events and the current-state tables older than the retention window, keeping the
   * newest {@link IndexerOptions#snapshotRetainLast()} and the snapshot that carries the cursor. Reorg rollback does
   * not need old snapshots: it rewrites the current state from the hash log in the cursor. Follow mode calls this
   * every {@link IndexerOptions#expireInterval()}.
   *
   * @return how many snapshots were expired, over all tables
   */
  public int expireSnapshots() {
    long now = System.currentTimeMillis();
    long keepFrom = events.cursorSnapshot().map(Snapshot::timestampMillis).orElse(Long.MAX_VALUE);
    int expired = SnapshotExpiry.expire(events.table(), options.snapshotRetention(), options.snapshotRetainLast(),
        now, keepFrom);
    for (TableDefinition def : StateProjector.TABLES) {
      expired += SnapshotExpiry.expire(lakehouse.table(def), options.snapshotRetention(),
          options.snapshotRetainLast(), now, Long.MAX_VALUE);
    }
    if (expired > 0) {
      LOG.info("Expired {} old snapshots of the chain tables (retention {}, keeping the last {})", expired,
          options.snapshotRetention(), options.snapshotRetainLast());
    }
    return expired;
  }

  /** The current lag behind the node's head. */
  public IndexerLag lag() {
    long nodeChain = source.chainId();
    IndexerCursor cursor = events.cursor().orElseGet(() -> initialCursor(nodeChain));
    return lag(cursor, source.headBlockNumber());
  }

  private IndexerLag lag(IndexerCursor cursor, long head) {
    long headTime = source.header(head).timestamp().getEpochSecond();
    long behind = cursor.blockTime() == 0 ? 0 : Math.max(0, headTime - cursor.blockTime());
    return new IndexerLag(cursor.chainId(), head, cursor.block(), Duration.ofSeconds(behind));
  }

  private IndexerCursor initialCursor(long chainId) {
    long start = deployment.deployedAtBlock();
    long before = start - 1;
    if (before < 0) {
      return new IndexerCursor(chainId, -1, null, 0, -1, List.of());
    }
    BlockHeader h = source.header(before);
    return new IndexerCursor(chainId, before, h.hash(), h.timestamp().getEpochSecond(), before,
        List.of(new BlockHash(before, h.hash())));
  }

  /** Rows whose finality can change when the head moves from the cursor's head to {@code head}. */
  private long refreshFrom(IndexerCursor cursor, long head) {
    return head == cursor.head() ? Long.MAX_VALUE : Math.max(0, cursor.head() - options.finalizedDepth() + 1);
  }

  /** Empty if the cursor block is still canonical, else the newest canonical block of the hash log. */
  private Optional<BlockHash> forkPoint(IndexerCursor cursor, long head) {
    if (cursor.hash() == null) {
      return Optional.empty();
    }
    if (cursor.block() <= head && source.header(cursor.block()).hash().equals(cursor.hash())) {
      return Optional.empty();
    }
    List<BlockHash> recent = cursor.recent();
    for (int i = recent.size() - 1; i >= 0; i--) {
      BlockHash b = recent.get(i);
      if (b.number() <= head && b.number() < cursor.block()
          && source.header(b.number()).hash().equals(b.hash())) {
        return Optional.of(b);
      }
    }
    // Deeper than the hash log (or the node was reset): start over from the deployment block.
    IndexerCursor initial = initialCursor(cursor.chainId());
    LOG.warn("Reorg deeper than the {} remembered block hashes on chain {}: re-indexing from block {}",
        recent.size(), cursor.chainId(), initial.block() + 1);
    return Optional.of(new BlockHash(initial.block(), initial.hash() == null ? "" : initial.hash()));
  }

  /** The decoded log; an unknown event keeps its raw topics and data so it can be decoded later. */
  private ChainEvent event(RawLog log, long head) {
    Optional<DecodedEvent> decoded = decoder.decode(log);
    String name;
    ObjectNode args;
    if (decoded.isPresent()) {
      name = decoded.get().eventName();
      args = decoded.get().args();
    } else {
      // Kept rather than dropped so chain.events stays one row per log.
      name = "unknown";
      args = JsonNodeFactory.instance.objectNode();
      args.putPOJO("topics", log.topics());
      args.put("data", log.data());
    }
    return new ChainEvent(deployment.chainId(), log.blockNumber(), log.blockHash(), log.txHash(),
        log.logIndex(), options.finalityOf(log.blockNumber(), head).column(), name, args);
  }

  @Override
  public void close() {
    if (prefetcher != null) {
      prefetcher.shutdownNow();
    }
    if (writer != null) {
      writer.shutdownNow();
    }
    if (ownedSource != null) {
      try {
        ownedSource.close();
      } catch (Exception e) {
        LOG.warn("Closing the node connection failed", e);
      }
    }
  }
}
