package io.ledgerlake.labeling.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.flink.RowLayout;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.LabelingState;
import io.ledgerlake.labeling.LabelingStateSerializer;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.stage.IngestedRow;
import io.ledgerlake.labeling.stage.LabelCursor;
import io.ledgerlake.labeling.stage.LabelRows;
import io.ledgerlake.labeling.stage.LabelingStage;
import io.ledgerlake.labeling.stage.LabelingStageException;
import io.ledgerlake.labeling.stage.LabelingStateFiles;
import io.ledgerlake.labeling.stage.SnapshotLabeler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labeling operator: buffers the rows of each {@code ingest.records} snapshot until the snapshot is complete (its
 * {@code added-records}), then labels the whole snapshot with {@link SnapshotLabeler} (the batch stage's code: same
 * order, same rows) and emits the label rows. Runs with parallelism 1: exact and near duplicates are found across all
 * datasets with one {@link LabelingState}.
 *
 * <p>Why whole snapshots: every checkpoint then sits on a snapshot boundary as far as {@code label.labels} is
 * concerned, so the cursor of each checkpoint is a records snapshot id, as the batch stage's is, and the two can hand
 * over (see {@link LabelCursor}). At each checkpoint the operator writes the cursor file of that checkpoint, and the
 * state file when the cursor moved, before the sink commits the checkpoint's rows.
 */
final class LabelingFunction extends ProcessFunction<FileRecord, RowData>
    implements CheckpointedFunction, CheckpointListener {
  private static final Logger LOG = LoggerFactory.getLogger(LabelingFunction.class);

  /** Times an instance was restored from a checkpoint in this JVM (observability for the restart tests). */
  static final AtomicInteger RESTORES = new AtomicInteger();

  /** Test hook: sees each record CID before it is labeled (throw to inject a failure). */
  static volatile Consumer<String> beforeLabel = cid -> {};

  private final TableLoader recordsLoader;
  private final TableLoader labelsLoader;
  private final LabelingOptions options;
  private final RowLayout layout;
  private final Long startSnapshot;
  private final String startStateFile;

  private transient SnapshotLabeler labeler;
  private transient Table records;
  private transient Table labels;
  private transient ListState<byte[]> checkpointed;
  private transient LabelingState state;
  private transient Long cursor;
  private transient long cursorSequence;
  private transient TreeMap<Long, List<IngestedRow>> pending;
  /** Ancestors of the current records snapshot, oldest first, and the index of the first one after the cursor. */
  private transient List<Snapshot> chain;
  private transient int next;
  /** Data file → sequence number of the snapshot that added it, for the cursor snapshot and later ones. */
  private transient Map<String, Long> fileSequence;
  private transient java.util.Set<Long> indexed;
  /** Recently seen files of snapshots before the cursor (stragglers), bounded. */
  private transient Map<String, Long> olderFiles;
  private transient Long stateFileCursor;
  private transient String stateFile;
  /** Cursor files written by this instance, by checkpoint id, with the state file each names. */
  private transient TreeMap<Long, String[]> written;

  LabelingFunction(TableLoader recordsLoader, TableLoader labelsLoader, LabelingOptions options, RowLayout layout,
      LabelCursor start) {
    this.recordsLoader = requireNonNull(recordsLoader, "recordsLoader");
    this.labelsLoader = requireNonNull(labelsLoader, "labelsLoader");
    this.options = requireNonNull(options, "options");
    this.layout = requireNonNull(layout, "layout");
    this.startSnapshot = start.recordsSnapshot();
    this.startStateFile = start.stateFile();
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    openTables();
    labeler = new SnapshotLabeler(new LabelingPipeline(options));
    written = new TreeMap<>();
    fileSequence = new java.util.HashMap<>();
    indexed = new java.util.HashSet<>();
    olderFiles = new java.util.LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > 1024;
      }
    };
    checkpointed = context.getOperatorStateStore().getListState(
        new ListStateDescriptor<>("labeling", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    Iterator<byte[]> restored = checkpointed.get().iterator();
    if (context.isRestored() && restored.hasNext()) {
      LabelingOperatorState s = LabelingOperatorStateSerializer.deserialize(restored.next());
      cursor = s.cursorSnapshot();
      cursorSequence = s.cursorSequence();
      state = LabelingStateSerializer.deserialize(s.labelingState());
      pending = new TreeMap<>();
      s.pending().forEach((k, v) -> pending.put(k, new ArrayList<>(v)));
      RESTORES.incrementAndGet();
      LOG.info("Labeling operator restored at ingest.records snapshot {} with {} snapshot(s) buffered", cursor,
          pending.size());
    } else {
      cursor = startSnapshot;
      state = startStateFile == null ? labeler.pipeline().newState() : LabelingStateFiles.load(labels, startStateFile);
      cursorSequence = cursor == null ? 0 : snapshot(cursor).sequenceNumber();
      pending = new TreeMap<>();
      LOG.info("Labeling operator starting after ingest.records snapshot {}", cursor);
    }
    rebuildChain();
  }

  private void openTables() {
    if (!recordsLoader.isOpen()) {
      recordsLoader.open();
    }
    if (!labelsLoader.isOpen()) {
      labelsLoader.open();
    }
    records = recordsLoader.loadTable();
    labels = labelsLoader.loadTable();
  }

  private Snapshot snapshot(long id) {
    Snapshot s = records.snapshot(id);
    if (s == null) {
      throw new LabelingStageException(ErrorCategory.INTERNAL, String.format(
          "label.labels was labeled up to ingest.records snapshot %d, which no longer exists (expired); keep "
              + "snapshots until the labeling job has run, or relabel into a fresh label.labels", id));
    }
    return s;
  }

  @Override
  public void processElement(FileRecord record, Context ctx, Collector<RowData> out) {
    long sequence = sequenceOf(record.dataFile);
    if (sequence <= cursorSequence) {
      return; // the source starts at the cursor snapshot inclusive: its rows are labeled already
    }
    pending.computeIfAbsent(sequence, k -> new ArrayList<>()).add(record.row());
    advance(out);
  }

  /**
   * The sequence number of the snapshot that added {@code dataFile}. Rows can arrive from files of snapshots at or
   * before the cursor: the source starts at the cursor snapshot inclusive, and it does not finish one snapshot's
   * splits before the next snapshot's (so after the cursor moved, or after a restore, rows of an older snapshot may
   * still come). Those are labeled already and recognised by walking back from the cursor.
   */
  private long sequenceOf(String dataFile) {
    Long sequence = fileSequence.get(dataFile);
    if (sequence == null && olderFiles.containsKey(dataFile)) {
      return olderFiles.get(dataFile);
    }
    if (sequence == null) {
      indexAddedFiles();
      sequence = fileSequence.get(dataFile);
    }
    if (sequence == null) {
      records.refresh();
      rebuildChain();
      indexAddedFiles();
      sequence = fileSequence.get(dataFile);
    }
    if (sequence == null && cursor != null) {
      for (Snapshot s : SnapshotUtil.ancestorsOf(cursor, records::snapshot)) {
        if (addedFiles(s).contains(dataFile)) {
          olderFiles.put(dataFile, s.sequenceNumber());
          return s.sequenceNumber();
        }
      }
    }
    if (sequence == null) {
      throw new LabelingStageException(ErrorCategory.INTERNAL, String.format(
          "data file %s of ingest.records was not added by any append snapshot: the table was rewritten under the "
              + "job; relabel into a fresh label.labels", dataFile));
    }
    return sequence;
  }

  private List<String> addedFiles(Snapshot s) {
    List<String> out = new ArrayList<>();
    if ("append".equals(s.operation())) {
      for (DataFile f : SnapshotChanges.builderFor(records).snapshot(s).build().addedDataFiles()) {
        out.add(f.location());
      }
    }
    return out;
  }

  /** Maps the files added by the cursor snapshot and every snapshot after it to their snapshot's sequence number. */
  private void indexAddedFiles() {
    List<Snapshot> toIndex = new ArrayList<>(chain);
    if (cursor != null) {
      toIndex.add(snapshot(cursor));
    }
    for (Snapshot s : toIndex) {
      if (indexed.add(s.snapshotId())) {
        addedFiles(s).forEach(f -> fileSequence.put(f, s.sequenceNumber()));
      }
    }
  }

  /** Labels every complete snapshot right after the cursor, in order. */
  private void advance(Collector<RowData> out) {
    while (true) {
      if (next >= chain.size() || pending.lastKey() > chain.get(chain.size() - 1).sequenceNumber()) {
        records.refresh();
        rebuildChain();
        if (next >= chain.size()) {
          return;
        }
      }
      Snapshot s = chain.get(next);
      long expected = "append".equals(s.operation()) ? LabelingStage.addedRecords(s) : 0;
      List<IngestedRow> rows = pending.getOrDefault(s.sequenceNumber(), List.of());
      if (rows.size() < expected) {
        return;
      }
      if (rows.size() > expected) {
        throw new LabelingStageException(ErrorCategory.INTERNAL, String.format(
            "received %d rows of ingest.records snapshot %d, which added %d: the source read a file twice; "
                + "restart the job from its last checkpoint", rows.size(), s.snapshotId(), expected));
      }
      if (!rows.isEmpty()) {
        Instant now = Instant.now();
        for (IngestedRow r : rows) {
          beforeLabel.accept(r.recordCid());
        }
        int n = labeler.label(rows, state, (dataset, label) -> out.collect(row(dataset, label, now)));
        LOG.debug("Labeled {} record(s) of ingest.records snapshot {}", n, s.snapshotId());
      }
      pending.remove(s.sequenceNumber());
      cursor = s.snapshotId();
      cursorSequence = s.sequenceNumber();
      next++;
      fileSequence.values().removeIf(seq -> seq < cursorSequence); // stragglers are found by sequenceOf's walk
      if (pending.isEmpty()) {
        return;
      }
    }
  }

  private RowData row(String dataset, Label label, Instant labeledAt) {
    RowLayout.Row row = layout.row();
    LabelRows.columns(dataset, label).forEach(row::set);
    return row.set(LabelRows.LABELED_AT, labeledAt).build();
  }

  /** The ancestors of the current records snapshot after the cursor. */
  private void rebuildChain() {
    Snapshot current = records.currentSnapshot();
    chain = current == null ? List.of() : LabelingStage.pending(records, current, cursor);
    next = 0;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    byte[] labelingState = LabelingStateSerializer.serialize(state);
    checkpointed.update(List.of(LabelingOperatorStateSerializer.serialize(
        new LabelingOperatorState(cursor, cursorSequence, labelingState, pending))));
    if (cursor == null) {
      return; // nothing labeled yet: a reader of label.labels starts from scratch either way
    }
    if (!cursor.equals(stateFileCursor)) {
      stateFile = LabelingStateFiles.write(labels, state, cursor);
      stateFileCursor = cursor;
    }
    String jobId = getRuntimeContext().getJobInfo().getJobId().toString();
    String path = LabelCursor.flinkCursorPath(labels, jobId, context.getCheckpointId());
    LabelCursor.writeFlinkCursor(labels, path, cursor, stateFile);
    written.put(context.getCheckpointId(), new String[] {path, stateFile});
  }

  /**
   * Deletes the cursor files (and state files no longer named) of checkpoints older than the newest one the sink
   * committed: a reader of label.labels only ever needs the newest committed checkpoint's.
   */
  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    try {
      labels.refresh();
      Snapshot head = labels.currentSnapshot();
      String jobId = getRuntimeContext().getJobInfo().getJobId().toString();
      if (head == null || !jobId.equals(head.summary().get(LabelCursor.FLINK_JOB_ID))) {
        return;
      }
      long committed = Long.parseLong(head.summary().get(LabelCursor.FLINK_CHECKPOINT_ID));
      Map<Long, String[]> old = written.headMap(committed, false);
      List<String> kept = written.tailMap(committed, true).values().stream().map(e -> e[1]).toList();
      for (String[] e : old.values()) {
        LabelingStateFiles.deleteQuietly(labels, e[0]);
        if (!kept.contains(e[1]) && !e[1].equals(stateFile)) {
          LabelingStateFiles.deleteQuietly(labels, e[1]);
        }
      }
      old.clear();
    } catch (RuntimeException e) {
      LOG.warn("Could not clean up old labeling cursor files: {}", e.getMessage());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      recordsLoader.close();
      labelsLoader.close();
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("Closing table loaders failed", e);
    }
    super.close();
  }
}
