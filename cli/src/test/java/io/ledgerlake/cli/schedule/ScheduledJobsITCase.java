package io.ledgerlake.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.cli.CliRun;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs registered for schedules beyond the Spark ones, each run from a schedule by {@code scheduler run --once}
 * on a real anvil chain ({@code chain up}): chain-index, attribution-settle and table-maintenance leave an
 * {@code ops.job_runs} row naming the schedule and its trigger; a finetune whose base cannot be found fails its tick
 * with the reason (training itself is covered by the training tests).
 */
class ScheduledJobsITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  CliRun ok(String... args) {
    CliRun r = CliRun.run(dir, args);
    assertThat(r.code()).as("%s%n%s%n%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  @AfterEach
  void stopChain() {
    CliRun.run(dir, "chain", "down");
  }

  @Test
  void chainSettleMaintenanceAndFinetuneRunFromSchedules() throws Exception {
    ok("chain", "up");
    ok("schedule", "add", "index-hourly", "--job", "chain-index", "--cron", "0 * * * *");
    ok("schedule", "add", "settle-daily", "--job", "attribution-settle", "--cron", "10 0 * * *");
    ok("schedule", "add", "compact-nightly", "--job", "table-maintenance", "--cron", "0 3 * * *",
        "--param", "tables=chain.events, label.labels", "--param", "expire_older_than=30d");
    ok("schedule", "add", "finetune-nightly", "--job", "finetune", "--cron", "0 4 * * *",
        "--param", "base=latest", "--param", "dataset=ds-none", "--param", "version=ds-none-v1");
    for (String id : new String[] {"index-hourly", "settle-daily", "compact-nightly", "finetune-nightly"}) {
      ok("schedule", "run-now", id);
    }
    CliRun once = ok("scheduler", "run", "--once");
    assertThat(once.out()).contains("Started 4 run(s)");

    Map<String, JsonNode> runs = scheduledRuns();
    assertThat(runs.keySet()).containsExactly("attribution-settle", "chain-index", "table-maintenance");
    for (var e : Map.of("chain-index", "index-hourly", "attribution-settle", "settle-daily", "table-maintenance",
        "compact-nightly").entrySet()) {
      JsonNode run = runs.get(e.getKey());
      assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
      assertThat(run.path("origin").path("schedule_id").asText()).isEqualTo(e.getValue());
      assertThat(run.path("origin").path("trigger").asText()).startsWith("run-now at ");
    }
    // The indexer caught up with the deployment's blocks; maintenance named both tables.
    assertThat(runs.get("chain-index").path("details").path("indexed_block").asLong()).isPositive();
    assertThat(runs.get("table-maintenance").path("details").path("tables").has("chain.events")).isTrue();
    assertThat(runs.get("table-maintenance").path("details").path("tables").has("label.labels")).isTrue();

    CliRun history = ok("schedule", "history", "finetune-nightly");
    assertThat(history.out()).contains("failed")
        .contains("no mlp model of dataset ds-none in ml.models to fine-tune");
  }

  /** ops.job_runs rows started by a schedule, by job name: status, origin and the job's details. */
  Map<String, JsonNode> scheduledRuns() throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    Settings settings = Settings.of(Map.of(LakehouseOptions.DATA_DIR, dir.toString()));
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings));
        CloseableIterable<Record> rows = IcebergGenerics.read(lakehouse.table(TableModel.OPS_JOB_RUNS)).build()) {
      for (Record r : rows) {
        JsonNode params = JSON.readTree((String) r.getField("params_json"));
        if (params.has("origin")) {
          var o = JSON.createObjectNode().put("status", (String) r.getField("status"))
              .put("error", (String) r.getField("error"));
          o.set("origin", params.get("origin"));
          o.set("details", params);
          out.put((String) r.getField("job_name"), o);
        }
      }
    }
    return out;
  }
}
