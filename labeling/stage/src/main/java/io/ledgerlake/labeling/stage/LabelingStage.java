package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.labeling.ErrorCategory;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.LabelingResult;
import io.ledgerlake.labeling.LabelingState;
import io.ledgerlake.labeling.LabelingStateSerializer;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import io.ledgerlake.labeling.pii.PiiLabeler;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 */
public final class LabelingStage {
  public static final String CURSOR_KEY = "ledgerlake.labeling.records-snapshot";
  public static final String STATE_KEY = "ledgerlake.labeling.state-file";
  public static final String STATE_DIR = "labeling-state";
  private static final Logger LOG = LoggerFactory.getLogger(LabelingStage.class);

  /** What one run did. {@code cursor} is the records snapshot labeled up to (null: nothing ingested yet). */
  public record Summary(int commits, long records, long labelRows, Long cursor) {}

  /** The cursor read from {@code label.labels}: all nulls before the first run. */
  record Cursor(Long recordsSnapshot, String stateFile, Long labelsSnapshot) {}

  private final Lakehouse lakehouse;
  private final LabelingPipeline pipeline;
  private final LabelingStageOptions options;
  private final String piiLabelerId;
  private Runnable beforeCommit = () -> {};

  public LabelingStage(Lakehouse lakehouse, LabelingPipeline pipeline, LabelingStageOptions options) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.pipeline = requireNonNull(pipeline, "pipeline");
    this.options = requireNonNull(options, "options");
    this.piiLabelerId = pipeline.labelers().stream().filter(l -> l.name().equals(PiiLabeler.NAME))
        .map(Labeler::id).findFirst().orElse(PiiLabeler.NAME);
  }

  /** Test hook: runs after a batch is labeled and its state written, just before the commit (to inject crashes). */
  LabelingStage beforeCommit(Runnable hook) {
    this.beforeCommit = requireNonNull(hook, "hook");
    return this;
  }

  /** Labels everything ingested since the last run; returns when caught up. */
  public Summary runOnce() {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    Table labels = lakehouse.table(TableModel.LABEL_LABELS);
    records.refresh();
    labels.refresh();
    Cursor cursor = cursor(labels);
    Snapshot current = records.currentSnapshot();
    if (current == null || (cursor.recordsSnapshot() != null && current.snapshotId() == cursor.recordsSnapshot())) {
      return new Summary(0, 0, 0, cursor.recordsSnapshot());
    }
    List<Snapshot> pending = pending(records, current, cursor.recordsSnapshot());
    LabelingState state = cursor.stateFile() == null ? pipeline.newState() : loadState(labels, cursor.stateFile());
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
        for (Record r : appended(records, s)) {
          String cid = (String) r.getField("record_cid");
          String dataset = (String) r.getField("dataset_id");
          LabelingResult result = pipeline.process(cid, RecordText.of((String) r.getField("record_json")), state);
          for (Label l : LabelRows.labelsOf(result, piiLabelerId, pipeline.curator().policy())) {
            rows.add(LabelRows.toRow(labels.schema(), dataset, l, now));
          }
          labeled++;
        }
      }
      long upTo = batch.get(batch.size() - 1).snapshotId();
      String stateFile = writeState(labels, state, upTo);
      try {
        beforeCommit.run();
        expected = TableAppender.replace(labels, List.of(), rows,
            Map.of(CURSOR_KEY, Long.toString(upTo), STATE_KEY, stateFile), expected);
      } catch (RuntimeException e) {
        // Not committed: the state file is referenced by nothing. (An unknown commit outcome keeps it.)
        if (!(e instanceof org.apache.iceberg.exceptions.CommitStateUnknownException)) {
          deleteQuietly(labels, stateFile);
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

  /** The newest cursor committed to {@code label.labels}. */
  static Cursor cursor(Table labels) {
    Snapshot head = labels.currentSnapshot();
    if (head == null) {
      return new Cursor(null, null, null);
    }
    for (Snapshot s : SnapshotUtil.ancestorsOf(head.snapshotId(), labels::snapshot)) {
      String v = s.summary().get(CURSOR_KEY);
      if (v != null) {
        return new Cursor(Long.parseLong(v), s.summary().get(STATE_KEY), head.snapshotId());
      }
    }
    return new Cursor(null, null, head.snapshotId());
  }

  private static List<Snapshot> pending(Table records, Snapshot current, Long cursor) {
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

  private static long addedRecords(Snapshot s) {
    String v = s.summary().get(SnapshotSummary.ADDED_RECORDS_PROP);
    return v == null ? 0 : Long.parseLong(v);
  }

  private static List<Record> appended(Table records, Snapshot s) {
    IcebergGenerics.ScanBuilder read = IcebergGenerics.read(records).select("record_cid", "dataset_id", "record_json");
    read = s.parentId() == null ? read.useSnapshot(s.snapshotId()) : read.appendsBetween(s.parentId(), s.snapshotId());
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = read.build()) {
      rows.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL, String.format(
          "reading snapshot %d of ingest.records failed: %s; check the warehouse and retry", s.snapshotId(),
          e.getMessage()), e);
    }
    // File order within a snapshot is not defined; a fixed order makes "first seen" and reruns deterministic.
    out.sort(Comparator.comparing((Record r) -> (String) r.getField("dataset_id"))
        .thenComparing(r -> (String) r.getField("record_cid")));
    return out;
  }

  private static String writeState(Table labels, LabelingState state, long upTo) {
    String path = labels.location() + "/" + STATE_DIR + "/state-" + upTo + "-" + UUID.randomUUID() + ".bin";
    byte[] bytes = LabelingStateSerializer.serialize(state);
    try (OutputStream out = labels.io().newOutputFile(path).create()) {
      out.write(bytes);
    } catch (IOException | UncheckedIOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL, String.format(
          "writing the labeling state to %s failed: %s; check the warehouse and retry", path, e.getMessage()), e);
    }
    return path;
  }

  static LabelingState loadState(Table labels, String path) {
    try (InputStream in = labels.io().newInputFile(path).newStream()) {
      return LabelingStateSerializer.deserialize(in.readAllBytes());
    } catch (IOException | RuntimeException e) {
      if (e instanceof io.ledgerlake.labeling.LabelingException le) {
        throw le;
      }
      throw new LabelingStageException(ErrorCategory.INTERNAL, String.format(
          "reading the labeling state %s named by label.labels' last commit failed: %s; restore the file or "
              + "relabel into a fresh label.labels", path, e.getMessage()), e);
    }
  }

  private static void deleteQuietly(Table labels, String path) {
    try {
      labels.io().deleteFile(path);
    } catch (RuntimeException e) {
      LOG.warn("Could not delete the uncommitted labeling state {}: {}", path, e.getMessage());
    }
  }
}
