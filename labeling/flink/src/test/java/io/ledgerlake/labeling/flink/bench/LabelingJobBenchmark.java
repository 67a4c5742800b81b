package io.ledgerlake.labeling.flink.bench;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.flink.LabelingJob;
import io.ledgerlake.labeling.flink.LabelingJobOptions;
import io.ledgerlake.labeling.stage.LabelCursor;
import io.ledgerlake.labeling.stage.LabelingStage;
import io.ledgerlake.labeling.stage.LabelingStageOptions;
import io.ledgerlake.labeling.stage.bench.LabelingStageBenchmark;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.Table;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Records/s through the streaming labeling job against, in the same run and on the same records, (a) committing them
 * to ingest.records (the lakehouse write of ingestion; baseline) and (b) the batch labeling stage. The records are
 * appended as S snapshots (as ingestion commits them, one per checkpoint) to two fresh lakehouses; the batch stage
 * labels one, the Flink job (its own embedded MiniCluster, as under {@code ledgerlake up}) the other. A main class, not
 * a test: see docs/benchmarks.md.
 */
public final class LabelingJobBenchmark {
  private LabelingJobBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int snapshots = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<String> texts = LabelingStageBenchmark.texts(n, 11);
    Path dir = Files.createTempDirectory("labeling-job-bench");
    LabelingPipeline pipeline = new LabelingPipeline(LabelingOptions.defaults());

    LakehouseOptions batchLake = LakehouseOptions.embedded(dir.resolve("batch"));
    double append;
    double batch;
    try (Lakehouse lakehouse = Lakehouse.open(batchLake)) {
      lakehouse.init();
      long t0 = System.nanoTime();
      appendInSnapshots(lakehouse, texts, snapshots);
      append = n / seconds(t0);
      long t1 = System.nanoTime();
      LabelingStage.Summary s = new LabelingStage(lakehouse, pipeline, LabelingStageOptions.defaults()).runOnce();
      batch = s.records() / seconds(t1);
    }

    LakehouseOptions streamLake = LakehouseOptions.embedded(dir.resolve("stream"));
    double wholeJob;
    double steady;
    try (Lakehouse lakehouse = Lakehouse.open(streamLake)) {
      lakehouse.init();
      appendInSnapshots(lakehouse, texts, snapshots);
      LabelingJobOptions options = LabelingJobOptions.from(Map.of(
          LabelingJobOptions.CHECKPOINT_INTERVAL, "1000", LabelingJobOptions.MONITOR_INTERVAL, "200",
          LabelingJobOptions.MAX_PLANNING_SNAPSHOTS, Integer.toString(snapshots)));
      long t2 = System.nanoTime();
      JobClient job = LabelingJob.startEmbedded(streamLake, LabelingOptions.defaults(), options,
          dir.resolve("checkpoints"));
      long firstAt = 0;
      long firstCount = 0;
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (count < n && System.nanoTime() < deadline) {
        Thread.sleep(50);
        if (job.getJobStatus().get().isGloballyTerminalState()) {
          job.getJobExecutionResult().get(); // throws the job's failure
          throw new IllegalStateException("the labeling job ended with " + job.getJobStatus().get());
        }
        count = labeledRecords(lakehouse);
        if (firstAt == 0 && count > 0) {
          firstAt = System.nanoTime();
          firstCount = count;
        }
      }
      long end = System.nanoTime();
      job.cancel().get();
      wholeJob = count / ((end - t2) / 1e9);
      steady = firstAt == 0 || end == firstAt ? Double.NaN : (count - firstCount) / ((end - firstAt) / 1e9);
      System.out.printf(Locale.ROOT, "records: %d in %d snapshot(s); labeled by the job: %d%n", n, snapshots, count);
    }
    System.out.printf(Locale.ROOT, "%-62s %10.0f records/s  1.000%n", "baseline: append to ingest.records", append);
    System.out.printf(Locale.ROOT, "%-62s %10.0f records/s  %.4f%n", "batch stage runOnce (read + label + commit)",
        batch, batch / append);
    System.out.printf(Locale.ROOT, "%-62s %10.0f records/s  %.4f%n",
        "Flink labeling job, submit to last commit (incl. start-up)", wholeJob, wholeJob / append);
    System.out.printf(Locale.ROOT, "%-62s %10.0f records/s  %.4f%n",
        "Flink labeling job, first to last commit (steady state)", steady, steady / append);
  }

  private static void appendInSnapshots(Lakehouse lakehouse, List<String> texts, int snapshots) {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    List<Record> rows = LabelingStageBenchmark.rows(records, texts);
    int per = (rows.size() + snapshots - 1) / snapshots;
    for (int i = 0; i < rows.size(); i += per) {
      TableAppender.append(records, rows.subList(i, Math.min(rows.size(), i + per)));
    }
  }

  /**
   * Records covered by the cursor the job committed (the records of every snapshot up to it): cheap enough to poll
   * without a scan of label.labels competing with the job for the two cores.
   */
  private static long labeledRecords(Lakehouse lakehouse) {
    Table labels = lakehouse.table(TableModel.LABEL_LABELS);
    labels.refresh();
    Long cursor = LabelCursor.read(labels).recordsSnapshot();
    if (cursor == null) {
      return 0;
    }
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    long count = 0;
    for (Snapshot s : SnapshotUtil.ancestorsOf(cursor, records::snapshot)) {
      count += LabelingStage.addedRecords(s);
    }
    return count;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
