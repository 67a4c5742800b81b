package io.ledgerlake.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a scheduler mid-run: another scheduler on the same catalog database sees the claim expire, counts
 * the attempt as failed (lost), and retries it by policy; the killed attempt never wrote an ops.job_runs row, so the
 * table holds exactly the retry's row.
 */
class SchedulerKillTest {
  @TempDir Path dir;

  @Test
  void aKilledSchedulersRunIsRetriedByAnotherInstance() throws Exception {
    Instant start = Instant.now();
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lakehouse.init();
      ScheduleStore store = ScheduleStore.forCatalog(lakehouse.options());
      store.init();
      store.add(new ScheduleSpec("slow", "probe", SchedulerTest.JOBS_JSON.createObjectNode().put("mode", "sleep")
          .put("sleep_ms", 600_000), Trigger.Cron.of("0 0 1 1 *", "UTC"),
          new SchedulePolicy(1, Duration.ofSeconds(10), Duration.ZERO, 1, SchedulePolicy.CatchUp.ONCE)), "cli",
          start.toEpochMilli());
      store.runNow("slow", start.toEpochMilli());
    }
    Path started = dir.resolve("started");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SchedulerProcessMain.class.getName(), dir.toString(),
        started.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(started) && System.nanoTime() < deadline && child.isAlive()) {
        Thread.sleep(100);
      }
      assertThat(started).as(Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "")
          .exists();
      assertThat(Files.readString(started)).isEqualTo("1");
      Thread.sleep(500); // the probe is sleeping inside its run
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no end row
      child.waitFor(30, TimeUnit.SECONDS);
    }
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      ScheduleStore store = ScheduleStore.forCatalog(lakehouse.options());
      ScheduleStore.Tick running = store.history("slow", 1).get(0);
      assertThat(running.status()).isEqualTo("running");
      assertThat(running.owner()).isEqualTo("doomed");

      SchedulerTest.FakeClock clock = new SchedulerTest.FakeClock(Instant.now());
      SchedulerOptions options = new SchedulerOptions(dir.resolve("schedules.yaml"), true, Duration.ofSeconds(1),
          Duration.ofMinutes(1), Duration.ofMinutes(1), 2, "survivor");
      try (Scheduler survivor = new Scheduler(store, fastProbe(), lakehouse, options, clock,
          new java.io.PrintWriter(new java.io.StringWriter()))) {
        survivor.tick(); // the claim is still live: nothing happens
        assertThat(store.history("slow", 1).get(0).status()).isEqualTo("running");
        clock.advance(Duration.ofMinutes(2)); // past the lease
        assertThat(survivor.tick().expired()).isEqualTo(1);
        ScheduleStore.Tick lost = store.history("slow", 1).get(0);
        assertThat(lost.status()).isEqualTo("retrying");
        assertThat(lost.error()).contains("attempt 1 lost: scheduler doomed stopped during the run");
        clock.advance(Duration.ofSeconds(10)); // the backoff
        survivor.tick();
        assertThat(survivor.awaitIdle(Duration.ofSeconds(60))).isTrue();
      }
      ScheduleStore.Tick done = store.history("slow", 1).get(0);
      assertThat(done.status()).isEqualTo("succeeded");
      assertThat(done.attempt()).isEqualTo(2);
      List<JsonNode> rows = SchedulerTest.runsOf(lakehouse, "probe");
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).path("origin").path("attempt").asInt()).isEqualTo(2);
    }
  }

  /** The retry should not sleep ten minutes: same job name and parameters, quick run. */
  private static JobCatalog fastProbe() {
    return JobCatalog.of(new SchedulableJob("probe", java.util.Set.of(), java.util.Set.of("mode", "sleep_ms"),
        (p, lh) -> new JobInvocation<>(new SchedulerTest.Probe(), new SchedulerTest.ProbeParams("ok", 0))));
  }

}
