package io.ledgerlake.ingestion.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.flink.FlinkJobs;
import io.ledgerlake.lakehouse.flink.RowLayout;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.OutputTag;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The ingestion job's topology: submission log (Kafka) → key by dataset → {@link SplitFunction} (numbers each
 * dataset's submissions, cuts large JSON Lines and CSV uploads into byte ranges, Parquet into runs of row groups,
 * archives into runs of files) → {@link RangeParseFunction} ({@code
 * parse-parallelism} subtasks) → key by dataset → {@link IngestFunction} (in log order: dedupe, emit; parses whole
 * uploads itself) → three Iceberg sinks ({@code ingest.records}, {@code ingest.rejections}, {@code
 * ingest.submissions}), exactly once through checkpoints.
 *
 * <p>The same topology runs in an embedded MiniCluster ({@code ledgerlake up}) and on a Flink
 * cluster ({@code flink run} of the jobs jar with {@link IngestionJobMain}). Operator uids are
 * fixed so checkpoints and savepoints stay compatible across versions.
 */
public final class IngestionJob {
  public static final String SOURCE_UID = "submission-log-source";
  public static final String INGEST_UID = "ingest";
  public static final String SPLIT_UID = "split";
  public static final String PARSE_UID = "parse";

  private IngestionJob() {}

  /** Flink configuration for the job: checkpointing, bounded restarts, and where checkpoints go. */
  public static Configuration configuration(IngestionJobOptions options, Path checkpointDir) {
    return FlinkJobs.configuration(
        options.restartAttempts(), options.restartDelay(), checkpointDir, FlinkJobs.latestCheckpoint(checkpointDir));
  }

  /** The Kafka source of the submission log. */
  public static KafkaSource<SubmissionBytes> kafkaSource(String bootstrapServers, String topic, IngestionJobOptions options) {
    return KafkaSource.<SubmissionBytes>builder()
        .setBootstrapServers(requireNonNull(bootstrapServers, "bootstrapServers"))
        .setTopics(topic)
        .setGroupId(options.consumerGroup())
        // Offsets are restored from checkpoints; a job without state starts from the beginning
        // of the log, and the duplicate set and submission ids make that safe.
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new SubmissionLogDeserializer())
        .setProperty("isolation.level", "read_committed")
        .build();
  }

  /**
   * Adds the job to {@code env}. The tables must exist ({@code ledgerlake init}); their current
   * schemas define the rows the job writes.
   */
  public static void build(
      StreamExecutionEnvironment env,
      Source<SubmissionBytes, ?, ?> source,
      LakehouseOptions lakehouse,
      ContentAccess content,
      ParseLimits limits,
      IngestionJobOptions options) {
    build(env, source, lakehouse, content, limits, options, RangeParseFunction.CHUNK_BYTES);
  }

  /** With another chunk size for parsed ranges: tests use small ones to cut ranges into several chunks. */
  static void build(
      StreamExecutionEnvironment env,
      Source<SubmissionBytes, ?, ?> source,
      LakehouseOptions lakehouse,
      ContentAccess content,
      ParseLimits limits,
      IngestionJobOptions options,
      int chunkBytes) {
    env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    // All inputs of one submission must precede the same barrier (one Iceberg commit, nothing waiting in
    // IngestFunction at a checkpoint): unaligned checkpoints could leave ranges in channel state. Kept explicit so a
    // cluster default cannot turn them on.
    env.getCheckpointConfig().enableUnalignedCheckpoints(false);
    env.setParallelism(options.parallelism());
    // Chained operators then hand each element on instead of deep-copying it: every function here emits a new object
    // per element and keeps none it is handed by a chained operator (IngestFunction keeps its inputs, but those come
    // over the network, always as new objects). The copy of every row, record JSON included, between the dedup step
    // and the Iceberg writer chained to it was about 5% of that thread.
    env.getConfig().enableObjectReuse();

    Schema records;
    Schema rejections;
    Schema submissions;
    try (Lakehouse lh = Lakehouse.open(lakehouse)) {
      records = lh.table(TableModel.INGEST_RECORDS).schema();
      rejections = lh.table(TableModel.INGEST_REJECTIONS).schema();
      submissions = lh.table(TableModel.INGEST_SUBMISSIONS).schema();
    }
    OutputTag<RowData> rejectionTag = new OutputTag<>("rejections", FlinkJobs.typeOf(rejections));
    OutputTag<RowData> statusTag = new OutputTag<>("status", FlinkJobs.typeOf(submissions));

    DataStream<SubmissionBytes> events =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "submission log").uid(SOURCE_UID);
    DataStream<ParseTask> tasks =
        events
            .keyBy(e -> e.datasetId)
            .process(new SplitFunction(content, limits, options), TypeInformation.of(ParseTask.class))
            .uid(SPLIT_UID)
            .name("number, split large uploads");
    int parsers = options.parseParallelism();
    DataStream<IngestInput> parsed =
        (parsers > 1 ? tasks.rebalance() : tasks)
            .process(new RangeParseFunction(content, limits, chunkBytes), TypeInformation.of(IngestInput.class))
            .setParallelism(parsers)
            .uid(PARSE_UID)
            .name("parse, validate, name ranges");
    SingleOutputStreamOperator<RowData> accepted =
        parsed
            .keyBy(e -> e.datasetId)
            .process(
                new IngestFunction(
                    content,
                    limits,
                    new RowLayout(records),
                    new RowLayout(rejections),
                    new RowLayout(submissions),
                    rejectionTag,
                    statusTag),
                FlinkJobs.typeOf(records))
            .uid(INGEST_UID)
            .name("dedupe, emit (parse whole uploads)");

    // One dataset's records come out of one dedup subtask; with parallel parsing, spread them over as many Iceberg
    // writers (one commit per checkpoint still covers all of them).
    int writers = Math.max(options.parallelism(), parsers);
    sink(parsers > 1 ? accepted.rebalance() : accepted, writers, lakehouse, TableModel.INGEST_RECORDS);
    sink(accepted.getSideOutput(rejectionTag), options.parallelism(), lakehouse, TableModel.INGEST_REJECTIONS);
    sink(accepted.getSideOutput(statusTag), options.parallelism(), lakehouse, TableModel.INGEST_SUBMISSIONS);
  }

  private static void sink(DataStream<RowData> rows, int writers, LakehouseOptions lakehouse, TableDefinition table) {
    FlinkSink.forRowData(rows)
        .tableLoader(FlinkJobs.tableLoader(lakehouse, table))
        .uidPrefix("sink-" + table.qualifiedName())
        .writeParallelism(writers)
        .append()
        .name("iceberg " + table.qualifiedName());
  }
}
