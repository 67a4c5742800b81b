package io.ledgerlake.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.cli.CliRun;
import io.ledgerlake.cli.LedgerLake;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.jobs.schedule.SchedulerOptions;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.sqlserver.SqlServiceOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledgerlake up} runs the scheduler: a cron schedule declared before start fires inside {@code up} (a child JVM,
 * stopped with SIGTERM as Ctrl-C would) and its run is an {@code ops.job_runs} row with the schedule and the cron
 * trigger. Ports are ephemeral and the SQL service is off, so it runs beside other platforms on the machine.
 */
class UpSchedulerITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aCronScheduleFiresUnderUp() throws Exception {
    CliRun add = CliRun.run(dir, "schedule", "add", "lineage-every-minute", "--job", "lineage-refresh", "--cron",
        "* * * * *");
    assertThat(add.code()).as(add.err()).isZero();

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Spark and Flink need the same --add-opens as this JVM.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
    command.addAll(List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"), LedgerLake.class.getName(), "up",
        "--data-dir", dir.toString(),
        "-D", IngestionOptions.HTTP_PORT + "=0",
        "-D", ContentOptions.GATEWAY_PORT + "=0",
        "-D", SqlServiceOptions.ENABLED + "=false",
        "-D", SchedulerOptions.POLL_INTERVAL_MS + "=500"));
    Path log = dir.resolve("up.log");
    Process up = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Optional<JsonNode> run = Optional.empty();
    try {
      // The first minute boundary after the schedule was added: at most a minute plus the platform's start.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (run.isEmpty() && up.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(2000);
        run = scheduledRun("lineage-every-minute");
      }
      assertThat(run).as("no scheduled run under up; its output:%n%s", Files.readString(log)).isPresent();
    } finally {
      up.destroy(); // SIGTERM: up stops the scheduler and the platform
      if (!up.waitFor(60, TimeUnit.SECONDS)) {
        up.destroyForcibly().waitFor();
      }
    }
    String out = Files.readString(log);
    assertThat(out).contains("Scheduler:         0 schedule(s) from ").contains("Stopped.");
    assertThat(run.get().path("status").asText()).isEqualTo("succeeded");
    assertThat(run.get().path("origin").path("trigger").asText()).startsWith("cron '* * * * *' UTC at ");
    assertThat(CliRun.run(dir, "schedule", "history", "lineage-every-minute").out()).contains("succeeded");
  }

  /** The ops.job_runs row of {@code scheduleId}'s run, once there is one. */
  Optional<JsonNode> scheduledRun(String scheduleId) throws Exception {
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(
        io.ledgerlake.common.config.Settings.of(java.util.Map.of(LakehouseOptions.DATA_DIR, dir.toString()))))) {
      Table t = lakehouse.table(TableModel.OPS_JOB_RUNS);
      try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
        for (Record r : rows) {
          JsonNode params = JSON.readTree((String) r.getField("params_json"));
          if (params.path("origin").path("schedule_id").asText().equals(scheduleId)) {
            var o = JSON.createObjectNode().put("status", (String) r.getField("status"));
            o.set("origin", params.get("origin"));
            return Optional.of(o);
          }
        }
      }
    } catch (RuntimeException e) {
      // up has not created the tables yet
    }
    return Optional.empty();
  }
}
