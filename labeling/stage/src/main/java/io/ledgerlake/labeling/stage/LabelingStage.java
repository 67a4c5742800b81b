package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.LabelingState;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labeling stage on the lakehouse: labels every {@code ingest.records} row appended since the last run, exactly
 * once. Each commit to {@code label.labels} carries, in its snapshot summary and so atomically with the rows, the last
 * records snapshot it covers (the cursor) and the file holding the {@link LabelingState} after it (the duplicate
 * indexes, serialized with {@link LabelingStateSerializer}). A run resumes from the newest such commit: a crash before
 * a commit leaves nothing visible (only an orphaned state file, deleted when the failure is seen), so a rerun labels the
 * same records again from the same state and yields the same rows once. Two runs racing: the commit checks that
 * {@code label.labels} did not move since the cursor was read, so the loser fails instead of appending twice.
 *
 * <p>One state for all datasets: exact and near duplicates are detected across datasets (issue 7), in ingestion
 * order (snapshot order; within a snapshot, by record CID so reruns are deterministic).
 *
 * <p>The streaming labeling job (labeling/flink) is the other writer of {@code label.labels}: it keeps the same cursor
 * ({@link LabelCursor}) and labels through the same {@link SnapshotLabeler}, so either continues where the other
 * stopped. They must not run at the same time.
 */
public final class LabelingStage {
  public static final String CURSOR_KEY = LabelCursor.CURSOR_KEY;
  public static final String STATE_KEY = LabelCursor.STATE_KEY;
  public static final String STATE_DIR = LabelCursor.STATE_DIR;
  private static final Logger LOG = LoggerFactory.getLogger(LabelingStage.class);

  /** What one run did. {@code cursor} is the records snapshot labeled up to (null: nothing ingested yet). */
  public record Summary(int commits, long records, long labelRows, Long cursor) {}

  private final Lakehouse lakehouse;
  private final SnapshotLabeler labeler;
  private final LabelingStageOptions options;
  private Runnable beforeCommit = () -> {};

  public LabelingStage(Lakehouse lakehouse, LabelingPipeline pipeline, LabelingStageOptions options) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.labeler = new SnapshotLabeler(requireNonNull(pipeline, "pipeline"));
    this.options = requireNonNull(options, "options");
  }

  /** Test hook: runs after a batch is labeled and its state written, just before the commit (to inject crashes). */
  LabelingStage beforeCommit(Runnable hook) {
    this.beforeCommit = requireNonNull(hook, "hook");
    return this;
  }

  /**
   * Labels everything ingested since the last run; returns when caught up. Fails (USER_ERROR) while the streaming
   * labeling job of a running {@code ledgerlake up} on the same data directory holds the {@link LabelWriterLock}.
   */
  public Summary runOnce() {
    try (LabelWriterLock lock = LabelWriterLock.acquire(lakehouse.options(), "ledgerlake label run")) {
      return label();
    }
  }

  /**
   * {@link #runOnce()} without the lock: for the test of two writers racing to commit (the commit check is the
   * second line of defence, for writers whose data directories differ but share one catalog).
   */
  Summary runOnceUnlocked() {
    return label();
  }

  private Summary label() {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    Table labels = lakehouse.table(TableModel.LABEL_LABELS);
    records.refresh();
    labels.refresh();
    LabelCursor cursor = cursor(labels);
    Snapshot current = records.currentSnapshot();
    if (current == null || (cursor.recordsSnapshot() != null && current.snapshotId() == cursor.recordsSnapshot())) {
      return new Summary(0, 0, 0, cursor.recordsSnapshot());
    }
    List<Snapshot> pending = pending(records, current, cursor.recordsSnapshot());
    LabelingState state = cursor.stateFile() == null ? labeler.pipeline().newState()
        : LabelingStateFiles.load(labels, cursor.stateFile());
    Long expected = cursor.labelsSnapshot();
    int commits = 0;
    long recordCount = 0;
    long rowCount = 0;
    int i = 0;
    while (i < pending.size()) {
      List<Snapshot> batch = new ArrayList<>();
      long batchRows = 0;
      while (i < pending.size() && (batch.isEmpty() || batchRows < options.maxRowsPerCommit())) {
        Snapshot s = pending.get(i++);
        batch.add(s);
        batchRows += addedRecords(s);
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      List<Record> rows = new ArrayList<>();
      long labeled = 0;
      for (Snapshot s : batch) {
        if (!"append".equals(s.operation())) {
          continue; // compaction or deletes add no new records
        }
        labeled += labeler.label(appended(records, s), state,
            (dataset, l) -> rows.add(LabelRows.toRow(labels.schema(), dataset, l, now)));
      }
      long upTo = batch.get(batch.size() - 1).snapshotId();
      String stateFile = LabelingStateFiles.write(labels, state, upTo);
      try {
        beforeCommit.run();
        expected = TableAppender.replace(labels, List.of(), rows,
            Map.of(CURSOR_KEY, Long.toString(upTo), STATE_KEY, stateFile), expected);
      } catch (RuntimeException e) {
        // Not committed: the state file is referenced by nothing. (An unknown commit outcome keeps it.)
        if (!(e instanceof org.apache.iceberg.exceptions.CommitStateUnknownException)) {
          LabelingStateFiles.deleteQuietly(labels, stateFile);
        }
        throw e;
      }
      commits++;
      recordCount += labeled;
      rowCount += rows.size();
      LOG.info("Labeled {} record(s) of ingest.records up to snapshot {}: {} label row(s)", labeled, upTo, rows.size());
    }
    return new Summary(commits, recordCount, rowCount, current.snapshotId());
  }

  /** The newest cursor committed to {@code label.labels}, by this stage or by the Flink job. */
  static LabelCursor cursor(Table labels) {
    return LabelCursor.read(labels);
  }

  /** The snapshots of {@code records} after {@code cursor} up to {@code current}, oldest first. */
  public static List<Snapshot> pending(Table records, Snapshot current, Long cursor) {
    List<Snapshot> pending = new ArrayList<>();
    boolean found = cursor == null;
    for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), records::snapshot)) {
      if (cursor != null && s.snapshotId() == cursor) {
        found = true;
        break;
      }
      pending.add(0, s);
    }
    if (!found) {
      throw new LabelingStageException(ErrorCategory.INTERNAL, String.format(
          "label.labels was labeled up to ingest.records snapshot %d, which is not an ancestor of the current "
              + "snapshot %d (expired or rolled back); keep snapshots until the labeling stage has run, or "
              + "relabel into a fresh label.labels", cursor, current.snapshotId()));
    }
    return pending;
  }

  /** Rows an append snapshot added ({@code added-records} of its summary). */
  public static long addedRecords(Snapshot s) {
    String v = s.summary().get(SnapshotSummary.ADDED_RECORDS_PROP);
    return v == null ? 0 : Long.parseLong(v);
  }

  private static List<IngestedRow> appended(Table records, Snapshot s) {
    IcebergGenerics.ScanBuilder read = IcebergGenerics.read(records).select("record_cid", "dataset_id", "record_json");
    read = s.parentId() == null ? read.useSnapshot(s.snapshotId()) : read.appendsBetween(s.parentId(), s.snapshotId());
    List<IngestedRow> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = read.build()) {
      rows.forEach(r -> out.add(new IngestedRow((String) r.getField("dataset_id"), (String) r.getField("record_cid"),
          (String) r.getField("record_json"))));
    } catch (IOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL, String.format(
          "reading snapshot %d of ingest.records failed: %s; check the warehouse and retry", s.snapshotId(),
          e.getMessage()), e);
    }
    return out;
  }
}
