package io.ledgerlake.jobs.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.stage.AnnotationTable;
import io.ledgerlake.labeling.stage.LabelingStageOptions;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * label run, label consensus and lineage refresh as jobs of the Job contract, on a real SQLite Iceberg catalog: each
 * run leaves one ops.job_runs row with its pinned inputs and outputs, and what it wrote carries the run's id.
 */
class MaintenanceJobsTest {
  @TempDir Path dir;
  Lakehouse lakehouse;
  JobRunner runner;
  final StringWriter progress = new StringWriter();

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
    runner = new JobRunner(lakehouse, new PrintWriter(progress, true));
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  @Test
  void labelRunLabelsNewRecordsOnceAndIsRecordedWithItsInput() throws Exception {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> r = new HashMap<>();
      String json = "{\"id\":" + i + ",\"text\":\"The river level was " + (2 + i) + " metres at the old bridge today.\"}";
      r.put("record_cid", "bafyrec" + i);
      r.put("dataset_id", "ds1");
      r.put("submission_id", "s1");
      r.put("contributor", "0xaaa");
      r.put("content_cid", "bafyupload");
      r.put("record_json", json);
      r.put("byte_size", json.length());
      r.put("ingested_at", OffsetDateTime.now(ZoneOffset.UTC));
      rows.add(Rows.of(records.schema(), r));
    }
    long snapshot = TableAppender.append(records, rows);
    LabelRunJob job = new LabelRunJob(LabelingOptions.defaults(), LabelingStageOptions.defaults());

    LabelRunJob.Result first = runner.run(job, new LabelRunJob.Params());
    assertThat(first.summary().records()).isEqualTo(3);
    assertThat(first.summary().labelRows()).isPositive();
    assertThat(progress.toString()).contains("labeled 3 record(s)");
    LabelRunJob.Result second = runner.run(job, new LabelRunJob.Params());
    assertThat(second.summary().records()).as("exactly once").isZero();

    List<Record> runs = runs(LabelRunJob.NAME);
    assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.getField("status")).isEqualTo("succeeded"));
    assertThat(runs).anySatisfy(r -> {
      assertThat(String.valueOf(r.getField("inputs"))).contains("ingest.records@" + snapshot);
      assertThat(String.valueOf(r.getField("outputs"))).contains("label.labels@");
    });
  }

  @Test
  void consensusRowsCarryTheRunnersRunId() throws Exception {
    List<Annotation> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      for (String who : List.of("0xa1", "0xa2", "0xa3")) {
        answers.add(new Annotation(who + "-" + i, "ds1", "cid" + i, who, List.of(i == 0 ? "pos" : "neg"), 1000,
            Instant.parse("2026-12-01T00:00:00Z"), Annotation.Status.SUBMITTED));
      }
    }
    new AnnotationTable(lakehouse).append(answers);
    LabelConsensusJob.Result r = runner.run(new LabelConsensusJob(LabelingOptions.defaults()),
        new LabelConsensusJob.Params("ds1"));
    assertThat(r.consensus().rows()).isEqualTo(4); // two records × two methods
    Record run = runs(LabelConsensusJob.NAME).get(0);
    assertThat(read(TableModel.LABEL_CONSENSUS)).hasSize(4)
        .allSatisfy(c -> assertThat(c.getField("run_id")).isEqualTo(run.getField("run_id")));
    assertThat(String.valueOf(run.getField("inputs"))).contains("label.annotations@");
    assertThat((String) run.getField("params_json")).contains("\"dataset\":\"ds1\"").contains("krippendorff_alpha");
  }

  @Test
  void lineageRefreshIsAJobRun() throws Exception {
    LineageRefreshJob.Result r = runner.run(new LineageRefreshJob(), new LineageRefreshJob.Params(3));
    assertThat(r.refresh()).isNotNull();
    assertThat(runs(LineageRefreshJob.NAME)).hasSize(1)
        .allSatisfy(run -> assertThat(String.valueOf(run.getField("inputs"))).contains("lineage.edges"));
  }

  private List<Record> runs(String job) {
    return read(TableModel.OPS_JOB_RUNS).stream().filter(r -> job.equals(r.getField("job_name"))).toList();
  }

  private List<Record> read(TableDefinition definition) {
    Table t = lakehouse.table(definition);
    t.refresh();
    List<Record> out = new ArrayList<>();
    if (t.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
