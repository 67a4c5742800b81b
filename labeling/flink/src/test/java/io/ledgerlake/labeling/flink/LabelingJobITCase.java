package io.ledgerlake.labeling.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.stage.LabelCursor;
import io.ledgerlake.labeling.stage.LabelingStage;
import io.ledgerlake.labeling.stage.LabelingStageOptions;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming labeling job on a Flink MiniCluster (shared by the class) over a real Iceberg JdbcCatalog on SQLite.
 * Records are appended to ingest.records directly (one append = one ingestion snapshot, as the ingestion job's sink
 * makes them); the reference for every test is the batch stage labeling the same snapshots in one uninterrupted run.
 */
class LabelingJobITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final LabelingJobOptions FAST =
      new LabelingJobOptions(Duration.ofMillis(300), Duration.ofMillis(100), 8, 3, Duration.ofMillis(200));

  static final String TEXT_A = "The committee met on Tuesday to review the budget for the new library wing and agreed"
      + " to publish the minutes next week so that every resident can read the decisions and send comments.";
  static final String TEXT_A_NEAR = "The committee met on Tuesday to review the budget for the new library wing and"
      + " agreed to publish the minutes next week so that every resident can read the decisions and send comments"
      + " by mail.";
  static final String TEXT_B = "Rainfall in the northern valleys was twice the seasonal average this spring, which"
      + " filled the reservoirs early and let farmers plant their crops three weeks sooner than usual.";
  static final String TEXT_C = "Der Stadtrat hat am Dienstag beschlossen, die Bibliothek zu erweitern und die Protokolle"
      + " der Sitzung in der kommenden Woche zu veröffentlichen, damit alle Bürger sie lesen können.";
  static final String TEXT_PII = "Please write to jane.doe@example.org or call +1 415 555 0134 about the order.";

  /** Four ingestion snapshots: duplicates within a dataset, across datasets and across snapshots, PII, two languages. */
  static final List<List<String[]>> SNAPSHOTS = List.of(
      List.of(new String[] {"ds1", "c1", TEXT_A}, new String[] {"ds1", "c2", TEXT_B}),
      List.of(new String[] {"ds1", "c3", TEXT_PII}, new String[] {"ds1", "c4", TEXT_A}),
      List.of(new String[] {"ds2", "c5", TEXT_B}, new String[] {"ds2", "c6", TEXT_A_NEAR}),
      List.of(new String[] {"ds2", "c7", TEXT_C}, new String[] {"ds2", "c8", TEXT_PII + " Thanks."}));

  static LabelingPipeline pipeline;

  @TempDir Path dir;
  LakehouseOptions options;
  Lakehouse lakehouse;

  @BeforeAll
  static void loadPipeline() {
    pipeline = new LabelingPipeline(LabelingOptions.defaults());
  }

  @BeforeEach
  void open() {
    options = LakehouseOptions.embedded(dir.resolve("lake"));
    lakehouse = Lakehouse.open(options);
    lakehouse.init();
  }

  @AfterEach
  void close() {
    LabelingFunction.beforeLabel = cid -> {};
    lakehouse.close();
  }

  @Test
  void labelsIngestedRecordsAsTheBatchStageDoes() throws Exception {
    ingest(lakehouse, 0, 1);
    JobClient job = start(dir.resolve("chk"), Optional.empty());
    try {
      awaitLabeled(job, 4);
      ingest(lakehouse, 2, 3); // while running: picked up by the streaming source
      awaitLabeled(job, 8);
    } finally {
      stop(job);
    }
    List<Record> labels = labels(lakehouse);
    assertThat(value(labels, "c1", "lang")).isEqualTo("eng");
    assertThat(value(labels, "c7", "lang")).isEqualTo("deu");
    assertThat(value(labels, "c4", "exact.text")).isEqualTo("duplicate");
    assertThat(value(labels, "c5", "exact.text")).isEqualTo("duplicate");
    assertThat(value(labels, "c6", "near_dup")).isEqualTo("duplicate");
    assertThat(value(labels, "c3", "pii.redacted_text")).contains("[EMAIL]").doesNotContain("jane.doe");
    assertThat(value(labels, "c2", "curation")).isEqualTo("included");
    assertThat(comparable(labels)).containsExactlyInAnyOrderElementsOf(reference());
    // The cursor the job committed is the last records snapshot: the batch stage has nothing left to do.
    assertThat(LabelingJob.cursor(options).origin()).isEqualTo(LabelCursor.Origin.FLINK);
    assertThat(new LabelingStage(lakehouse, pipeline, LabelingStageOptions.defaults()).runOnce().records()).isZero();
  }

  @Test
  void injectedFailureRestartsFromTheCheckpointWithoutDuplicateOrMissingRows() throws Exception {
    ingest(lakehouse, 0, 1);
    int restoresBefore = LabelingFunction.RESTORES.get();
    AtomicBoolean failed = new AtomicBoolean();
    LabelingFunction.beforeLabel = cid -> {
      if (cid.equals("c6") && failed.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure while labeling c6");
      }
    };
    JobClient job = start(dir.resolve("chk"), Optional.empty());
    try {
      awaitLabeled(job, 4); // committed, so a checkpoint completed before the failure
      ingest(lakehouse, 2, 3);
      awaitLabeled(job, 8);
    } finally {
      stop(job);
    }
    assertThat(failed).isTrue();
    assertThat(LabelingFunction.RESTORES.get()).isGreaterThan(restoresBefore);
    assertThat(comparable(labels(lakehouse))).containsExactlyInAnyOrderElementsOf(reference());
  }

  @Test
  void stoppedJobResumesFromItsRetainedCheckpoint() throws Exception {
    Path checkpoints = dir.resolve("chk");
    ingest(lakehouse, 0, 1);
    JobClient first = start(checkpoints, Optional.empty());
    try {
      awaitLabeled(first, 4);
      ingest(lakehouse, 2);
      awaitLabeled(first, 6);
    } finally {
      stop(first);
    }
    ingest(lakehouse, 3);
    Optional<Path> restore = LabelingJob.restorePoint(checkpoints, LabelingJob.cursor(options));
    assertThat(restore).isPresent();
    int restoresBefore = LabelingFunction.RESTORES.get();
    JobClient second = start(checkpoints, restore);
    try {
      awaitLabeled(second, 8);
    } finally {
      stop(second);
    }
    assertThat(LabelingFunction.RESTORES.get()).isGreaterThan(restoresBefore);
    assertThat(comparable(labels(lakehouse))).containsExactlyInAnyOrderElementsOf(reference());
  }

  @Test
  void batchAndStreamingHandOverWithoutRelabeling() throws Exception {
    Path checkpoints = dir.resolve("chk");
    LabelingStage batch = new LabelingStage(lakehouse, pipeline, LabelingStageOptions.defaults());
    ingest(lakehouse, 0);
    assertThat(batch.runOnce().records()).isEqualTo(2);

    // batch -> streaming: the job starts from the batch cursor and state (c4 is a duplicate of c1, labeled by batch).
    ingest(lakehouse, 1);
    JobClient job = start(checkpoints, LabelingJob.restorePoint(checkpoints, LabelingJob.cursor(options)));
    try {
      awaitLabeled(job, 4);
    } finally {
      stop(job);
    }
    assertThat(value(labels(lakehouse), "c4", "exact.text")).isEqualTo("duplicate");

    // streaming -> batch: the batch stage reads the job's cursor and labels only the new snapshot.
    ingest(lakehouse, 2);
    assertThat(LabelingJob.cursor(options).origin()).isEqualTo(LabelCursor.Origin.FLINK);
    assertThat(batch.runOnce().records()).isEqualTo(2);

    // batch -> streaming again: the retained checkpoint is behind the table now, so the job must not restore it.
    ingest(lakehouse, 3);
    Optional<Path> restore = LabelingJob.restorePoint(checkpoints, LabelingJob.cursor(options));
    assertThat(restore).isEmpty();
    JobClient again = start(checkpoints, restore);
    try {
      awaitLabeled(again, 8);
    } finally {
      stop(again);
    }
    assertThat(comparable(labels(lakehouse))).containsExactlyInAnyOrderElementsOf(reference());
  }

  JobClient start(Path checkpoints, Optional<Path> restore) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(LabelingJob.configuration(FAST, checkpoints, restore));
    LabelingJob.build(env, options, LabelingOptions.defaults(), FAST, LabelingJob.cursor(options));
    return env.executeAsync("labeling-" + dir.getFileName());
  }

  /** Cancels the job (its last checkpoint is retained); a job that already failed is reported by awaitLabeled. */
  static void stop(JobClient job) throws Exception {
    if (!job.getJobStatus().get().isGloballyTerminalState()) {
      try {
        job.cancel().get();
      } catch (java.util.concurrent.ExecutionException e) {
        // failed while being cancelled: the assertions on the table say whether that mattered
      }
    }
  }

  /** Waits until {@code records} records have their curation row (the last row each record gets). */
  void awaitLabeled(JobClient job, int records) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      if (job.getJobStatus().get().isGloballyTerminalState()) {
        job.getJobExecutionResult().get(); // throws the job's failure
        throw new AssertionError("the labeling job ended with " + job.getJobStatus().get());
      }
      seen = labels(lakehouse).stream().filter(r -> r.getField("label_key").equals("curation")).count();
      if (seen >= records) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("only " + seen + " of " + records + " records labeled in time");
  }

  /** The rows the batch stage writes for all four snapshots in one uninterrupted run. */
  List<String> reference() throws Exception {
    try (Lakehouse ref = Lakehouse.open(LakehouseOptions.embedded(dir.resolve("reference")))) {
      ref.init();
      ingest(ref, 0, 1, 2, 3);
      new LabelingStage(ref, pipeline, LabelingStageOptions.defaults()).runOnce();
      return comparable(labels(ref));
    }
  }

  static void ingest(Lakehouse lh, int... snapshots) {
    Table records = lh.table(TableModel.INGEST_RECORDS);
    for (int s : snapshots) {
      List<Record> rows = new ArrayList<>();
      for (String[] r : SNAPSHOTS.get(s)) {
        Map<String, Object> v = new HashMap<>();
        String json = "{\"text\":\"" + r[2] + "\"}";
        v.put("record_cid", r[1]);
        v.put("dataset_id", r[0]);
        v.put("submission_id", "sub-" + s);
        v.put("contributor", "0x" + "ab".repeat(20));
        v.put("content_cid", "bafybeicontent" + s);
        v.put("position", "line " + rows.size());
        v.put("record_json", json);
        v.put("byte_size", json.length());
        v.put("ingested_at", OffsetDateTime.of(2026, 11, 22, 0, 0, 0, 0, ZoneOffset.UTC));
        rows.add(Rows.of(records.schema(), v));
      }
      TableAppender.append(records, rows);
    }
  }

  static List<Record> labels(Lakehouse lh) throws Exception {
    Table t = lh.table(TableModel.LABEL_LABELS);
    t.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      rows.forEach(r -> out.add(r.copy()));
    }
    return out;
  }

  static String value(List<Record> labels, String cid, String key) {
    return labels.stream().filter(r -> r.getField("record_cid").equals(cid) && r.getField("label_key").equals(key))
        .map(r -> (String) r.getField("value")).findFirst().orElse(null);
  }

  /** Every column but labeled_at; a duplicate row shows up as a repeated element. */
  static List<String> comparable(List<Record> labels) {
    return labels.stream().map(r -> r.getField("dataset_id") + "|" + r.getField("record_cid") + "|"
        + r.getField("labeler") + "@" + r.getField("labeler_version") + "|" + r.getField("label_key") + "|"
        + r.getField("value") + "|" + r.getField("score")).toList();
  }
}
