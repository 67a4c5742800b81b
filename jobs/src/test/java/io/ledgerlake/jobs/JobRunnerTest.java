package io.ledgerlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.lineage.LineageEdge;
import io.ledgerlake.lakehouse.lineage.NodeKind;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner against a real Iceberg catalog (SQLite): one ops.job_runs row and matching OpenLineage events per run. */
@SuppressWarnings("unchecked")
class JobRunnerTest {
  @TempDir Path dir;
  Lakehouse lakehouse;
  JobRunner runner;

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
    runner = new JobRunner(lakehouse, new PrintWriter(new StringWriter()));
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  /** Parameters of the test job: what it does at the end of its run. */
  record Params(String mode) implements JobParams {
    @Override
    public ObjectNode toJson() {
      return JobRunRecord.MAPPER.createObjectNode().put("mode", mode);
    }
  }

  record Result(long edgesSeen, List<LineageEdge> edges) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return List.of(JobOutput.content("bafytestoutput"));
    }

    @Override
    public long recordsIn() {
      return edgesSeen;
    }

    @Override
    public ObjectNode details() {
      return JobRunRecord.MAPPER.createObjectNode().put("edges_seen", edgesSeen);
    }
  }

  /** Counts lineage.edges at the pinned snapshot, then succeeds, fails as a user error, or crashes. */
  static final class CountEdges implements Job<Params, Result> {
    @Override
    public String name() {
      return "count-edges";
    }

    @Override
    public PinnedInputs inputs(Params params, JobContext context) {
      Table edges = context.lakehouse().table(TableModel.LINEAGE_EDGES);
      edges.refresh();
      return PinnedInputs.of(PinnedInput.snapshot(TableModel.LINEAGE_EDGES.qualifiedName(),
          edges.currentSnapshot().snapshotId()));
    }

    @Override
    public Result run(Params params, PinnedInputs inputs, JobContext context) throws IOException {
      long seen = 0;
      Table edges = context.lakehouse().table(TableModel.LINEAGE_EDGES);
      try (CloseableIterable<Record> rows = IcebergGenerics.read(edges)
          .useSnapshot(inputs.snapshotOf(TableModel.LINEAGE_EDGES.qualifiedName())).build()) {
        for (Record ignored : rows) {
          seen++;
        }
      }
      switch (params.mode()) {
        case "fail" -> throw new LakehouseException(ErrorCategory.USER_ERROR, "dataset %s has no records", "ds-x");
        case "crash" -> throw new IllegalStateException("a bug");
        default -> {
          return new Result(seen, List.of(new LineageEdge(NodeKind.DATASET_VERSION, "ds-x-v1", null, NodeKind.MODEL,
              "bafymodel", "bafymodel", "trained_on")));
        }
      }
    }
  }

  @Test
  void successFailureAndCrashEachLeaveOneRowAndMatchingEvents() throws Exception {
    LineageEdge.append(lakehouse, List.of(new LineageEdge(NodeKind.SUBMISSION, "bafysub", "bafysub",
        NodeKind.DATASET_VERSION, "ds-x-v1", null, "contains")), "setup", OffsetDateTime.now());
    long pinned = lakehouse.table(TableModel.LINEAGE_EDGES).currentSnapshot().snapshotId();

    Result ok = runner.run(new CountEdges(), new Params("ok"));
    assertThat(ok.edgesSeen()).isEqualTo(1);
    assertThatThrownBy(() -> runner.run(new CountEdges(), new Params("fail")))
        .isInstanceOf(LakehouseException.class).hasMessageContaining("has no records");
    assertThatThrownBy(() -> runner.run(new CountEdges(), new Params("crash")))
        .isInstanceOf(IllegalStateException.class).hasMessage("a bug");

    List<Record> runs = rows(TableModel.OPS_JOB_RUNS.identifier());
    assertThat(runs).hasSize(3);
    Record succeeded = only(runs, "ok");
    assertThat(succeeded.getField("status")).isEqualTo("succeeded");
    assertThat(succeeded.getField("job_name")).isEqualTo("count-edges");
    assertThat((List<Object>) succeeded.getField("inputs")).containsExactly("lineage.edges@" + pinned);
    assertThat((List<Object>) succeeded.getField("outputs")).containsExactly("ipfs://bafytestoutput");
    assertThat(succeeded.getField("records_in")).isEqualTo(1L);
    JsonNode record = JobRunRecord.MAPPER.readTree((String) succeeded.getField("params_json"));
    assertThat(record.path("run_format").asInt()).isEqualTo(JobRunRecord.FORMAT_VERSION);
    assertThat(record.path("params").path("mode").asText()).isEqualTo("ok");
    assertThat(record.path("edges_seen").asLong()).isEqualTo(1);
    assertThat(succeeded.getField("error")).isNull();

    Record failed = only(runs, "fail");
    assertThat(failed.getField("status")).isEqualTo("failed");
    assertThat(failed.getField("error_category")).isEqualTo("USER_ERROR");
    assertThat((String) failed.getField("error")).contains("has no records");
    // pinned after the successful run appended its edge: a newer snapshot, never "latest" as a word
    long afterFirstRun = lakehouse.table(TableModel.LINEAGE_EDGES).currentSnapshot().snapshotId();
    assertThat((List<Object>) failed.getField("inputs")).containsExactly("lineage.edges@" + afterFirstRun);
    Record crashed = only(runs, "crash");
    assertThat(crashed.getField("status")).isEqualTo("failed");
    assertThat(crashed.getField("error_category")).isEqualTo("INTERNAL");

    List<Record> events = rows(TableModel.LINEAGE_EVENTS.identifier());
    assertThat(eventTypes(events, succeeded)).containsExactlyInAnyOrder("START", "COMPLETE");
    assertThat(eventTypes(events, failed)).containsExactlyInAnyOrder("START", "FAIL");
    assertThat(eventTypes(events, crashed)).containsExactlyInAnyOrder("START", "FAIL");
    Record complete = events.stream().filter(e -> e.getField("run_id").equals(succeeded.getField("run_id"))
        && e.getField("event_type").equals("COMPLETE")).findFirst().orElseThrow();
    JsonNode payload = JobRunRecord.MAPPER.readTree((String) complete.getField("payload"));
    assertThat(payload.path("eventType").asText()).isEqualTo("COMPLETE");
    assertThat(payload.path("inputs").get(0).path("name").asText()).isEqualTo("lineage.edges");
    assertThat(payload.path("inputs").get(0).path("facets").path("version").path("datasetVersion").asText())
        .isEqualTo(Long.toString(pinned));
    Record fail = events.stream().filter(e -> e.getField("run_id").equals(failed.getField("run_id"))
        && e.getField("event_type").equals("FAIL")).findFirst().orElseThrow();
    assertThat((String) fail.getField("payload")).contains("errorMessage").contains("has no records");

    // The successful run's edges carry its run id; the failed runs wrote none.
    List<Record> edges = rows(TableModel.LINEAGE_EDGES.identifier());
    assertThat(edges).filteredOn(e -> "trained_on".equals(e.getField("relation")))
        .singleElement().satisfies(e -> assertThat(e.getField("run_id")).isEqualTo(succeeded.getField("run_id")));
  }

  private static Record only(List<Record> runs, String mode) {
    return runs.stream().filter(r -> ((String) r.getField("params_json")).contains("\"mode\":\"" + mode + "\""))
        .reduce((a, b) -> {
          throw new AssertionError("more than one run of mode " + mode);
        }).orElseThrow();
  }

  private static List<Object> eventTypes(List<Record> events, Record run) {
    return events.stream().filter(e -> e.getField("run_id").equals(run.getField("run_id")))
        .map(e -> e.getField("event_type")).toList();
  }

  private List<Record> rows(org.apache.iceberg.catalog.TableIdentifier id) throws IOException {
    Table table = lakehouse.table(id);
    table.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(out::add);
    }
    return out;
  }
}
