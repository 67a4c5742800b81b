package io.ledgerlake.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledgerlake schedule ...} and {@code scheduler run --once} end to end on an embedded lakehouse. */
class ScheduleCliTest {
  @TempDir Path dir;

  @Test
  void addListPauseRunNowHistoryRemove() throws Exception {
    CliRun add = CliRun.run(dir, "schedule", "add", "nightly", "--job", "reconcile", "--cron", "0 2 * * *",
        "--timezone", "Europe/Berlin", "--retries", "1");
    assertThat(add.code()).as(add.err()).isZero();
    assertThat(add.out()).contains("Added schedule nightly: reconcile cron '0 2 * * *' Europe/Berlin, next: ")
        .containsPattern("02:00 \\+0[12]:00");
    CliRun list = CliRun.run(dir, "schedule", "list", "--next", "3");
    assertThat(list.out()).contains("nightly").contains("active").contains("cli")
        .containsPattern("(02:00 \\+0[12]:00.*){3}");
    assertThat(CliRun.run(dir, "schedule", "pause", "nightly").out()).contains("Paused schedule nightly");
    assertThat(CliRun.run(dir, "schedule", "list").out()).contains("paused");
    assertThat(CliRun.run(dir, "schedule", "resume", "nightly").code()).isZero();
    assertThat(CliRun.run(dir, "schedule", "run-now", "nightly").out()).contains("Queued nightly|manual:");
    // Reconcile on an empty lakehouse: a cheap real job through the runner.
    CliRun once = CliRun.run(dir, "scheduler", "run", "--once");
    assertThat(once.code()).as(once.err()).isZero();
    assertThat(once.out()).contains("Started 1 run(s)");
    CliRun history = CliRun.run(dir, "schedule", "history", "nightly");
    assertThat(history.out()).contains("succeeded").contains("run-now at");
    assertThat(CliRun.run(dir, "schedule", "remove", "nightly").out()).contains("Removed schedule nightly");
    assertThat(CliRun.run(dir, "schedule", "list").out()).contains("No schedules");
  }

  @Test
  void curatedRecordsSchedulesShowWhenTheyFire() {
    CliRun add = CliRun.run(dir, "schedule", "add", "consensus-5", "--job", "label-consensus", "--curated", "5",
        "--dataset", "ds1", "--param", "dataset=${dataset}");
    assertThat(add.code()).as(add.err()).isZero();
    assertThat(add.out()).contains("Added schedule consensus-5: label-consensus every 5 new curated records of ds1");
    // The first pass takes the baseline (nothing curated yet), after which the list says when it fires.
    assertThat(CliRun.run(dir, "scheduler", "run", "--once").out()).contains("Started 0 run(s)");
    assertThat(CliRun.run(dir, "schedule", "list").out()).contains("when 5 records are curated in ds1");
    // The examples show the variables literally (picocli must not interpolate them away).
    assertThat(CliRun.run(dir, "schedule", "add", "--help").out()).contains("--param 'version=${version}'")
        .contains("--param 'dataset=${dataset}'").contains("table-maintenance");
    CliRun withCron = CliRun.run(dir, "schedule", "add", "x", "--job", "reconcile", "--cron", "0 2 * * *",
        "--dataset", "ds1");
    assertThat(withCron.code()).isEqualTo(2);
    assertThat(withCron.err()).contains("--dataset goes with --after or --curated");
    CliRun zero = CliRun.run(dir, "schedule", "add", "x", "--job", "reconcile", "--curated", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("curated records threshold must be between 1 and");
  }

  @Test
  void airflowWithoutConfigurationIsAOneLineError() {
    CliRun r = CliRun.run(dir, "airflow", "trigger", "ledgerlake_reconcile_nightly");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("ledgerlake: error: Airflow is not configured: set ledgerlake.airflow.url"
        + " (env LEDGERLAKE_AIRFLOW_URL), ledgerlake.airflow.username and ledgerlake.airflow.password");
  }

  @Test
  void mistakesExitTwoWithOneLine() throws Exception {
    CliRun unknownJob = CliRun.run(dir, "schedule", "add", "x", "--job", "trian", "--cron", "0 2 * * *");
    assertThat(unknownJob.code()).isEqualTo(2);
    assertThat(unknownJob.err().strip()).startsWith("ledgerlake: error: unknown job 'trian'").doesNotContain("\n");
    CliRun badCron = CliRun.run(dir, "schedule", "add", "x", "--job", "reconcile", "--cron", "0 2 * *");
    assertThat(badCron.code()).isEqualTo(2);
    assertThat(badCron.err()).contains("expected 5 fields");
    CliRun unknownParam = CliRun.run(dir, "schedule", "add", "x", "--job", "rag-embed", "--after", "publish",
        "--param", "dataset=d", "--param", "version=${version}", "--param", "verison=1");
    assertThat(unknownParam.code()).isEqualTo(2);
    assertThat(unknownParam.err()).contains("unknown parameter 'verison' for job rag-embed");
    assertThat(CliRun.run(dir, "schedule", "pause", "nope").err()).contains("no schedule 'nope'");
    Files.writeString(dir.resolve("schedules.yaml"), "version: 1\nschedules:\n  - id: a\n    job: reconcile\n"
        + "    cron: \"0 2 * * *\"\n    timezone: Nowhere/Land\n");
    CliRun badFile = CliRun.run(dir, "schedule", "list");
    assertThat(badFile.code()).isEqualTo(2);
    assertThat(badFile.err().strip()).isEqualTo("ledgerlake: error: " + dir.resolve("schedules.yaml")
        + ":6: unknown time zone 'Nowhere/Land' (use a region id such as Europe/Berlin or UTC)");
    for (String[] help : new String[][] {{"schedule", "--help"}, {"schedule", "add", "--help"},
        {"scheduler", "run", "--help"}, {"schedule", "history", "--help"}, {"airflow", "--help"},
        {"airflow", "trigger", "--help"}, {"airflow", "status", "--help"}}) {
      assertThat(CliRun.run(dir, help).code()).isZero();
    }
  }
}
