package io.ledgerlake.labeling.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.flink.FlinkJobs;
import io.ledgerlake.lakehouse.flink.RowLayout;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.stage.LabelCursor;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkReadOptions;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.iceberg.flink.source.IcebergSource;
import org.apache.iceberg.flink.source.StreamingStartingStrategy;
import org.apache.iceberg.flink.source.reader.RowDataReaderFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming labeling job: {@code ingest.records} (Iceberg streaming source, incremental snapshots) → {@link
 * LabelingFunction} (the {@code LabelingPipeline} with its state in checkpointed operator state, parallelism 1) →
 * Iceberg sink into {@code label.labels}, exactly once through checkpoints. Operator uids are fixed so checkpoints
 * stay compatible across versions.
 *
 * <p>Where it starts: from its own last retained checkpoint when {@code label.labels} was last written by this job;
 * otherwise (first start, or the batch stage ran since) from the cursor in {@code label.labels} — the records
 * snapshot and the labeling state file the last writer committed — so the batch stage and this job hand over without
 * relabeling anything (docs/decisions/labeling-flink-job.md).
 */
public final class LabelingJob {
  public static final String JOB_NAME = "ledgerlake-labeling";
  public static final String SOURCE_UID = "ingest-records-source";
  public static final String LABEL_UID = "label";
  private static final Logger LOG = LoggerFactory.getLogger(LabelingJob.class);

  private LabelingJob() {}

  /** The cursor committed to {@code label.labels}: where a job without a usable checkpoint starts. */
  public static LabelCursor cursor(LakehouseOptions lakehouse) {
    try (Lakehouse lh = Lakehouse.open(lakehouse)) {
      Table labels = lh.table(TableModel.LABEL_LABELS);
      labels.refresh();
      return LabelCursor.read(labels);
    }
  }

  /**
   * The retained checkpoint to resume from: the newest under {@code checkpointDir}, unless the batch stage committed
   * to {@code label.labels} after it (then the checkpoint is behind the table and the cursor is where to start).
   */
  public static Optional<Path> restorePoint(Path checkpointDir, LabelCursor cursor) {
    Optional<Path> latest = FlinkJobs.latestCheckpoint(checkpointDir);
    if (latest.isPresent() && cursor.origin() == LabelCursor.Origin.BATCH) {
      LOG.info("label.labels was last written by the batch labeling stage (up to ingest.records snapshot {}): "
          + "starting the labeling job from that cursor, not from checkpoint {}", cursor.recordsSnapshot(), latest.get());
      return Optional.empty();
    }
    return latest;
  }

  /** Flink configuration for an embedded run: bounded restarts, checkpoints retained in {@code checkpointDir}. */
  public static Configuration configuration(LabelingJobOptions options, Path checkpointDir, Optional<Path> restoreFrom) {
    return FlinkJobs.configuration(options.restartAttempts(), options.restartDelay(), checkpointDir, restoreFrom);
  }

  /**
   * Starts the job in its own embedded MiniCluster ({@code ledgerlake up}), resuming from {@link #restorePoint}.
   * Stop it with {@code cancel()}: its last checkpoint is retained for the next start.
   */
  public static JobClient startEmbedded(LakehouseOptions lakehouse, LabelingOptions labeling,
      LabelingJobOptions options, Path checkpointDir) throws Exception {
    LabelCursor cursor = cursor(lakehouse);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
        configuration(options, checkpointDir, restorePoint(checkpointDir, cursor)));
    build(env, lakehouse, labeling, options, cursor);
    return env.executeAsync(JOB_NAME);
  }

  /**
   * Adds the job to {@code env}. The tables must exist ({@code ledgerlake init}). {@code start} is used when the job
   * does not restore from a checkpoint; a restored job continues from its checkpointed position and state.
   */
  public static void build(StreamExecutionEnvironment env, LakehouseOptions lakehouse, LabelingOptions labeling,
      LabelingJobOptions options, LabelCursor start) {
    requireNonNull(start, "start");
    env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    env.setParallelism(1);

    TableLoader recordsLoader = FlinkJobs.tableLoader(lakehouse, TableModel.INGEST_RECORDS);
    TableLoader labelsLoader = FlinkJobs.tableLoader(lakehouse, TableModel.LABEL_LABELS);
    Table records;
    Schema labelsSchema;
    try (Lakehouse lh = Lakehouse.open(lakehouse)) {
      records = lh.table(TableModel.INGEST_RECORDS);
      labelsSchema = lh.table(TableModel.LABEL_LABELS).schema();
    }
    Schema projected = records.schema().select("dataset_id", "record_cid", "record_json");
    FileTaggingReaderFunction reader = new FileTaggingReaderFunction(
        new RowDataReaderFunction(new Configuration(), records.schema(), projected, null, true, records.io(),
            records.encryption(), List.of()),
        projected);
    IcebergSource.Builder<FileRecord> source = IcebergSource.<FileRecord>builder()
        .tableLoader(recordsLoader)
        .readerFunction(reader)
        .streaming(true)
        .monitorInterval(options.monitorInterval())
        .set(FlinkReadOptions.MAX_PLANNING_SNAPSHOT_COUNT, Integer.toString(options.maxPlanningSnapshots()));
    if (start.recordsSnapshot() == null) {
      source.streamingStartingStrategy(StreamingStartingStrategy.INCREMENTAL_FROM_EARLIEST_SNAPSHOT);
    } else {
      // Inclusive: the operator drops the rows of the cursor snapshot itself (by sequence number).
      source.streamingStartingStrategy(StreamingStartingStrategy.INCREMENTAL_FROM_SNAPSHOT_ID)
          .startSnapshotId(start.recordsSnapshot());
    }

    DataStream<FileRecord> rows = env
        .fromSource(source.build(), WatermarkStrategy.noWatermarks(), "ingest.records (new snapshots)",
            TypeInformation.of(FileRecord.class))
        .uid(SOURCE_UID);
    DataStream<RowData> labelRows = rows
        .process(new LabelingFunction(recordsLoader.clone(), labelsLoader.clone(), labeling,
            new RowLayout(labelsSchema), start), InternalTypeInfo.of(FlinkSchemaUtil.convert(labelsSchema)))
        .uid(LABEL_UID)
        .name("label (language, quality, PII, harm, duplicates, curation)")
        .setParallelism(1)
        .setMaxParallelism(1);
    FlinkSink.forRowData(labelRows)
        .tableLoader(labelsLoader)
        .uidPrefix("sink-" + TableModel.LABEL_LABELS.qualifiedName())
        .writeParallelism(1)
        .append()
        .name("iceberg " + TableModel.LABEL_LABELS.qualifiedName());
  }
}
