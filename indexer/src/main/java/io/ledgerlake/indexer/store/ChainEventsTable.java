package io.ledgerlake.indexer.store;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.indexer.IndexerOptions;
import io.ledgerlake.lakehouse.write.TableAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.expressions.Expressions;

/**
 * chain.events, the indexer's source of truth, and its cursor. Every change is one Iceberg commit that carries
 * the new cursor in its snapshot summary, so rows and cursor can never disagree after a crash.
 *
 * <p>A commit may rewrite the table's "tail": data files that hold rows at or above some block are read, rows
 * above a rollback point are dropped, the others get their finality recomputed for the new head, and the files
 * are replaced together with the new rows. Files entirely below the tail are never touched.
 */
public final class ChainEventsTable {
  /** Summary key with the indexed block number, for humans and SQL over snapshots. */
  public static final String BLOCK_KEY = "ledgerlake.indexer.block";
  public static final String CHAIN_ID_KEY = "ledgerlake.indexer.chain-id";

  /**
   * Parquet settings the indexer gives chain.events (see docs/decisions/indexer-events-write-properties.md): the
   * writes of a backfill are on its critical path, and with these they cost about a third less CPU than with
   * Iceberg's defaults, for files of about the same size. Dictionary encoding is off (Iceberg 1.11 has no
   * per-column switch; the one high-cardinality column, {@code args_json}, made Parquet build and then abandon a
   * dictionary per column chunk, and zstd compresses the repeated hashes about as well); zstd at level 1 instead
   * of 3; no min/max statistics for {@code args_json}, which no query prunes on.
   */
  public static final Map<String, String> WRITE_PROPERTIES = Map.of(
      "parquet.enable.dictionary", "false",
      TableProperties.PARQUET_COMPRESSION, "zstd",
      TableProperties.PARQUET_COMPRESSION_LEVEL, "1",
      TableProperties.PARQUET_COLUMN_STATS_ENABLED_PREFIX + "args_json", "false",
      TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + "args_json", "none");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Result of a commit. */
  public record Committed(long snapshotId, int droppedRows) {}

  private final Table table;
  private final IndexerOptions options;

  public ChainEventsTable(Table table, IndexerOptions options) {
    this.table = requireNonNull(table, "table");
    this.options = requireNonNull(options, "options");
  }

  /**
   * Gives chain.events each of {@link #WRITE_PROPERTIES} it does not set yet, in one metadata commit (none if
   * nothing is missing): new and existing tables get them, and a value an operator set on the table stays.
   *
   * @return the keys that were added
   */
  public List<String> applyWriteProperties() {
    table.refresh();
    Map<String, String> current = table.properties();
    List<String> missing = WRITE_PROPERTIES.keySet().stream().filter(k -> !current.containsKey(k)).sorted().toList();
    if (!missing.isEmpty()) {
      UpdateProperties update = table.updateProperties();
      missing.forEach(k -> update.set(k, WRITE_PROPERTIES.get(k)));
      update.commit();
    }
    return missing;
  }

  /**
   * The {@code chain.events} row of {@code e}, emitted by {@code contract}. Fields are set by name directly rather
   * than through a name map: this runs once per log of a backfill.
   */
  public static Record toRow(Schema schema, ChainEvent e, String contract, OffsetDateTime indexedAt) {
    GenericRecord r = GenericRecord.create(schema);
    r.setField("chain_id", e.chainId());
    r.setField("block_number", e.block());
    r.setField("block_hash", e.blockHash());
    r.setField("tx_hash", e.txHash());
    r.setField("log_index", e.logIndex());
    r.setField("finality", e.finality());
    r.setField("contract", contract);
    r.setField("event_name", e.name());
    r.setField("args_json", e.args().toString());
    r.setField("indexed_at", indexedAt);
    return r;
  }

  /** Every event of {@code events} as of {@code snapshotId}, in chain order (block, then log index). */
  public static List<ChainEvent> read(Table events, long snapshotId) {
    List<ChainEvent> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(events).useSnapshot(snapshotId).build()) {
      for (Record r : rows) {
        out.add(new ChainEvent((Long) r.getField("chain_id"), (Long) r.getField("block_number"),
            (String) r.getField("block_hash"), (String) r.getField("tx_hash"), (Integer) r.getField("log_index"),
            (String) r.getField("finality"), (String) r.getField("event_name"),
            JSON.readTree((String) r.getField("args_json"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparingLong(ChainEvent::block).thenComparingInt(ChainEvent::logIndex));
    return out;
  }

  public Table table() {
    return table;
  }

  /** The cursor of the newest snapshot that has one (walking back through the snapshot history). */
  public Optional<IndexerCursor> cursor() {
    return cursorSnapshot().map(s -> IndexerCursor.fromJson(s.summary().get(IndexerCursor.SUMMARY_KEY)));
  }

  /** The newest snapshot that carries a cursor: snapshot expiry must keep it. */
  public Optional<Snapshot> cursorSnapshot() {
    table.refresh();
    for (Snapshot s = table.currentSnapshot(); s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (s.summary().containsKey(IndexerCursor.SUMMARY_KEY)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The current snapshot id, or null for an empty table. */
  public Long snapshotId() {
    table.refresh();
    return table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
  }

  /**
   * Writes rows to new data files without committing them (finalized rows to files of their own), so a backfill
   * can write one range while it reads the next; they become visible with {@link #commit}, or must be {@link
   * #discard}ed.
   */
  public List<DataFile> write(List<Record> rows) {
    List<DataFile> out = new ArrayList<>();
    for (List<Record> group : splitByFinality(rows)) {
      if (!group.isEmpty()) {
        out.addAll(TableAppender.writeFiles(table, group));
      }
    }
    return out;
  }

  /** Deletes files from {@link #write} that will not be committed. */
  public void discard(List<DataFile> written) {
    TableAppender.discard(table, written);
  }

  /** {@link #commit(List, List, long, long, IndexerCursor, Long)} without pre-written files. */
  public Committed commit(List<Record> newRows, long rewriteFrom, long keepUpTo, IndexerCursor cursor,
      Long expectedSnapshot) {
    return commit(List.of(), newRows, rewriteFrom, keepUpTo, cursor, expectedSnapshot);
  }

  /**
   * Commits {@code written} (files from {@link #write}), {@code newRows} and {@code cursor} in one snapshot.
   *
   * @param rewriteFrom rows at or above this block in existing files get their finality recomputed against
   *     {@code cursor.head()}, or are dropped if above {@code keepUpTo}; {@code Long.MAX_VALUE} for none
   * @param keepUpTo existing rows above this block are removed (a rollback); {@code Long.MAX_VALUE} for none
   * @return the new snapshot id and how many existing rows were dropped
   */
  public Committed commit(List<DataFile> written, List<Record> newRows, long rewriteFrom, long keepUpTo,
      IndexerCursor cursor, Long expectedSnapshot) {
    Map<String, String> summary = new HashMap<>();
    summary.put(IndexerCursor.SUMMARY_KEY, cursor.toJson());
    summary.put(BLOCK_KEY, Long.toString(cursor.block()));
    summary.put(CHAIN_ID_KEY, Long.toString(cursor.chainId()));
    List<Record> rows = new ArrayList<>();
    List<DataFile> remove = new ArrayList<>();
    int dropped = 0;
    long from = Math.min(rewriteFrom, keepUpTo == Long.MAX_VALUE ? Long.MAX_VALUE : keepUpTo + 1);
    if (from != Long.MAX_VALUE) {
      for (DataFile f : TableFiles.filesMatching(table, Expressions.greaterThanOrEqual("block_number", from))) {
        remove.add(f);
        for (Record r : TableFiles.read(table, f)) {
          long block = (Long) r.getField("block_number");
          if (block > keepUpTo) {
            dropped++;
            continue;
          }
          if (block >= rewriteFrom) {
            r.setField("finality", options.finalityOf(block, cursor.head()).column());
          }
          rows.add(r);
        }
      }
    }
    rows.addAll(newRows);
    List<DataFile> files = new ArrayList<>(written);
    try {
      files.addAll(write(rows));
    } catch (RuntimeException e) {
      discard(written);
      throw e;
    }
    long id = TableAppender.replaceWithFiles(table, remove, files, summary, expectedSnapshot);
    return new Committed(id, dropped);
  }

  /**
   * Rows split into finalized and other rows: finalized rows go to files of their own, so the next rewrite of the
   * recent tail only reads the few recent rows.
   */
  public static List<List<Record>> splitByFinality(List<Record> rows) {
    String finalized = IndexerOptions.Finality.FINALIZED.column();
    List<Record> settled = new ArrayList<>();
    List<Record> recent = new ArrayList<>();
    for (Record r : rows) {
      (finalized.equals(r.getField("finality")) ? settled : recent).add(r);
    }
    return List.of(settled, recent);
  }
}
