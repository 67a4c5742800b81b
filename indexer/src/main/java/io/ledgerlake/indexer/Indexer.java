package io.ledgerlake.indexer;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.iceberg.Schema;
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
  private int range;

  private Indexer(Lakehouse lakehouse, ChainSource source, AutoCloseable ownedSource, Deployment deployment,
      IndexerOptions options) {
    this.source = requireNonNull(source, "source");
    this.ownedSource = ownedSource;
    this.deployment = requireNonNull(deployment, "deployment");
    this.options = requireNonNull(options, "options");
    this.decoder = AbiEventDecoder.forDeployment(deployment);
    this.events = new ChainEventsTable(lakehouse.table(TableModel.CHAIN_EVENTS), options);
    this.projector = new StateProjector(lakehouse, options);
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
    long fromBlock = cursor.block() + 1;
    // What this run appends, for the incremental projection; null once a rollback makes it a full rebuild.
    Long base = events.snapshotId();
    List<StateProjector.Event> appended = new ArrayList<>();
    long indexed = 0;
    long rolledBack = 0;
    int reorgs = 0;
    int commits = 0;
    long head;
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
      long from = cursor.block() + 1;
      long to = Math.min(head, cursor.block() + range);
      BlockHeader before = source.header(to);
      List<RawLog> logs;
      try {
        logs = source.logs(from, to, decoder.addresses());
      } catch (ChainSourceException e) {
        if (e.rangeTooLarge() && to > from) {
          range = (int) Math.max(1, (to - from + 1) / 2);
          LOG.info("eth_getLogs {}..{} was too large ({}); retrying with ranges of {} blocks", from, to,
              e.getMessage(), range);
          continue;
        }
        throw e;
      }
      BlockHeader after = source.header(to);
      if (!after.hash().equals(before.hash()) || !consistent(logs, after)) {
        LOG.info("Block {} changed while its logs were read (reorg in progress); reading again", to);
        continue;
      }
      List<Record> rows = new ArrayList<>(logs.size());
      Set<BlockHash> seen = new LinkedHashSet<>();
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      for (RawLog log : logs) {
        StateProjector.Event e = event(log, head);
        rows.add(row(e, log.address(), now));
        if (appended != null) {
          appended.add(e);
        }
        seen.add(new BlockHash(log.blockNumber(), log.blockHash()));
      }
      IndexerCursor next = cursor.advance(to, after.hash(), after.timestamp().getEpochSecond(), head,
          List.copyOf(seen), options.hashLogSize());
      events.commit(rows, refreshFrom(cursor, head), Long.MAX_VALUE, next, events.snapshotId());
      commits++;
      indexed += rows.size();
      cursor = next;
      range = (int) Math.min(options.maxRange(), (long) range * 2);
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
      LOG.info("Indexed {}", summary.describe());
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
    while (!stop.getAsBoolean()) {
      try {
        onRun.accept(runOnce());
      } catch (IndexerException e) {
        if (e.category() != IndexerException.Category.EXTERNAL) {
          throw e;
        }
        LOG.warn("Indexing failed, retrying in {} ms: {}", pollInterval.toMillis(), e.getMessage());
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

  /**
   * Rebuilds the current-state tables from all of chain.events (a repair: runs normally keep them up to date
   * incrementally, and rebuild by themselves after a rollback or a crash between commits); false if nothing is
   * indexed yet.
   */
  public boolean rebuildProjections() {
    Optional<IndexerCursor> cursor = events.cursor();
    return cursor.isPresent() && projector.rebuild(events.table(), cursor.get().head());
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

  private static boolean consistent(List<RawLog> logs, BlockHeader last) {
    for (RawLog l : logs) {
      if (l.blockNumber() == last.number() && !l.blockHash().equals(last.hash())) {
        return false;
      }
    }
    return true;
  }

  /** The decoded log; an unknown event keeps its raw topics and data so it can be decoded later. */
  private StateProjector.Event event(RawLog log, long head) {
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
    return new StateProjector.Event(deployment.chainId(), log.blockNumber(), log.blockHash(), log.txHash(),
        log.logIndex(), options.finalityOf(log.blockNumber(), head).column(), name, args);
  }

  private Record row(StateProjector.Event e, String contract, OffsetDateTime now) {
    Map<String, Object> v = new HashMap<>();
    v.put("chain_id", e.chainId());
    v.put("block_number", e.block());
    v.put("block_hash", e.blockHash());
    v.put("tx_hash", e.txHash());
    v.put("log_index", e.logIndex());
    v.put("finality", e.finality());
    v.put("contract", contract);
    v.put("event_name", e.name());
    v.put("args_json", e.args().toString());
    v.put("indexed_at", now);
    return Rows.of(schema, v);
  }

  @Override
  public void close() {
    if (ownedSource != null) {
      try {
        ownedSource.close();
      } catch (Exception e) {
        LOG.warn("Closing the node connection failed", e);
      }
    }
  }
}
