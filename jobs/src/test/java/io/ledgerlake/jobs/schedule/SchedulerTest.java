package io.ledgerlake.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.versions.PublishRunRecord;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler on a real SQLite catalog database and a real lakehouse, with a fake clock: runs are counted as
 * {@code ops.job_runs} rows written by the Job runner. The job under schedule is a small probe (the scheduler is
 * under test): it succeeds, fails, or sleeps, as its parameters say.
 */
class SchedulerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper JOBS_JSON = JSON;
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:30Z");

  @TempDir Path dir;
  Lakehouse lakehouse;
  final FakeClock clock = new FakeClock(T0);
  final List<Scheduler> schedulers = new ArrayList<>();
  final List<Lakehouse> extraLakehouses = new ArrayList<>();

  record ProbeParams(String mode, long sleepMs) implements JobParams {
    @Override
    public ObjectNode toJson() {
      return JSON.createObjectNode().put("mode", mode).put("sleep_ms", sleepMs);
    }
  }

  record Done(ObjectNode details) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return List.of();
    }
  }

  /** The job under schedule: ok, fail (always), or sleep (for timeouts). */
  static final class Probe implements Job<ProbeParams, Done> {
    @Override
    public String name() {
      return "probe";
    }

    @Override
    public PinnedInputs inputs(ProbeParams params, JobContext context) {
      return PinnedInputs.none();
    }

    @Override
    public Done run(ProbeParams params, PinnedInputs inputs, JobContext context) throws Exception {
      switch (params.mode()) {
        case "fail" -> throw new IllegalStateException("probe failed on purpose");
        case "sleep" -> Thread.sleep(params.sleepMs());
        default -> { }
      }
      return new Done(JSON.createObjectNode());
    }
  }

  /**
   * Stands in for publish (which needs a chain): a succeeded 'publish' run of a dataset whose details are the real
   * publisher's {@link PublishRunRecord}, so the fields event triggers read are the ones publish writes.
   */
  static final class FakePublish implements Job<ProbeParams, Done> {
    @Override
    public String name() {
      return "publish";
    }

    @Override
    public PinnedInputs inputs(ProbeParams params, JobContext context) {
      return PinnedInputs.none();
    }

    @Override
    public Done run(ProbeParams params, PinnedInputs inputs, JobContext context) {
      return new Done(PublishRunRecord.of(params.mode(), params.mode() + "-v" + params.sleepMs(), 1, 1,
          params.sleepMs(), "bafy-manifest", List.of(), List.of(), List.of(),
          new PublishRunRecord.ShareInputs(null, 7000, 2000, 1000)).toJson());
    }
  }

  static final JobCatalog JOBS = JobCatalog.of(new SchedulableJob("probe", Set.of(), Set.of("mode", "sleep_ms"),
      (p, lh) -> new JobInvocation<>(new Probe(), new ProbeParams(p.path("mode").asText("ok"),
          p.path("sleep_ms").asLong(0)))));

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
  }

  @AfterEach
  void close() {
    schedulers.forEach(s -> s.close(Duration.ofSeconds(5)));
    extraLakehouses.forEach(Lakehouse::close);
    if (lakehouse != null) { // null when a subclass skipped the test
      lakehouse.close();
    }
  }

  Scheduler scheduler(String instance, Lakehouse on) {
    SchedulerOptions options = new SchedulerOptions(dir.resolve("schedules.yaml"), true, Duration.ofSeconds(1),
        Duration.ofMinutes(1), Duration.ofMinutes(1), 2, instance);
    Scheduler s = new Scheduler(ScheduleStore.forCatalog(on.options()), JOBS, on, options, clock,
        new PrintWriter(new StringWriter()));
    schedulers.add(s);
    return s;
  }

  Scheduler scheduler() {
    return scheduler("a", lakehouse);
  }

  ScheduleStore store() {
    return ScheduleStore.forCatalog(lakehouse.options());
  }

  static ScheduleSpec cron(String id, String expr, String mode, SchedulePolicy policy) {
    return new ScheduleSpec(id, "probe", JSON.createObjectNode().put("mode", mode), Trigger.Cron.of(expr, "UTC"),
        policy);
  }

  static SchedulePolicy policy(int retries, Duration backoff, Duration timeout, SchedulePolicy.CatchUp catchUp) {
    return new SchedulePolicy(retries, backoff, timeout, 1, catchUp);
  }

  /** Ticks until nothing more is due at this instant (a tick starts at most as many runs as it has threads). */
  static void tick(Scheduler s) throws InterruptedException {
    Scheduler.TickReport report;
    do {
      report = s.tick();
      assertThat(s.awaitIdle(Duration.ofSeconds(60))).isTrue();
    } while (report.started() > 0);
  }

  /** ops.job_runs rows of {@code job}: status, error and origin. */
  List<JsonNode> runs(String job) throws Exception {
    return runsOf(lakehouse, job);
  }

  static List<JsonNode> runsOf(Lakehouse lakehouse, String job) throws Exception {
    Table t = lakehouse.table(TableModel.OPS_JOB_RUNS);
    t.refresh();
    List<JsonNode> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      for (Record r : rows) {
        if (job.equals(r.getField("job_name"))) {
          ObjectNode o = JSON.createObjectNode();
          o.put("status", (String) r.getField("status"));
          o.put("error", (String) r.getField("error"));
          JsonNode record = JSON.readTree((String) r.getField("params_json"));
          o.set("origin", record.path("origin"));
          o.set("params", record.path("params"));
          out.add(o);
        }
      }
    }
    return out;
  }

  @Test
  void catchUpAfterAThreeHourStopFiresOnce() throws Exception {
    store().init();
    store().add(cron("every15", "*/15 * * * *", "ok", SchedulePolicy.DEFAULT), "cli", clock.millis());
    store().add(cron("every15-all", "*/15 * * * *", "ok", policy(0, Duration.ofMinutes(1), Duration.ZERO,
        SchedulePolicy.CatchUp.ALL)), "cli", clock.millis());
    Scheduler s = scheduler();
    clock.set(Instant.parse("2026-06-01T00:15:10Z"));
    tick(s);
    assertThat(runs("probe")).hasSize(2);
    // Stopped for three hours: 12 ticks of each schedule were missed.
    clock.set(Instant.parse("2026-06-01T03:15:20Z"));
    tick(s);
    List<JsonNode> runs = runs("probe");
    long once = runs.stream().filter(r -> r.path("origin").path("schedule_id").asText().equals("every15")).count();
    long all = runs.stream().filter(r -> r.path("origin").path("schedule_id").asText().equals("every15-all")).count();
    assertThat(once).isEqualTo(2);
    assertThat(all).isEqualTo(1 + 12);
    assertThat(runs).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("succeeded"));
    assertThat(runs.stream().filter(r -> r.path("origin").path("schedule_id").asText().equals("every15"))
        .map(r -> r.path("origin").path("fire_time").asText()))
        .containsExactlyInAnyOrder("2026-06-01T00:15:00Z", "2026-06-01T03:15:00Z");
    // The next fire time moved past now: nothing more until 03:30.
    assertThat(store().find("every15").orElseThrow().nextFireMs())
        .isEqualTo(Instant.parse("2026-06-01T03:30:00Z").toEpochMilli());
  }

  @Test
  void eventTriggerFiresOncePerPublishedVersionAlsoWhenTheSchedulerWasDown() throws Exception {
    store().init();
    // The new version is the job's parameter: ${version} is bound from the publish run's tag.
    store().add(new ScheduleSpec("on-publish", "probe", JSON.createObjectNode().put("mode", "${version}"),
        new Trigger.OnJob("publish", "ds1"),
        SchedulePolicy.DEFAULT), "cli", clock.millis());
    JobRunner publisher = new JobRunner(lakehouse, new PrintWriter(new StringWriter()), clock);
    // Published while no scheduler runs: two versions of ds1 and one of another dataset.
    clock.advance(Duration.ofMinutes(1));
    publisher.run(new FakePublish(), new ProbeParams("ds1", 1));
    clock.advance(Duration.ofMinutes(1));
    publisher.run(new FakePublish(), new ProbeParams("ds2", 1));
    publisher.run(new FakePublish(), new ProbeParams("ds1", 2));
    clock.advance(Duration.ofMinutes(1));
    Scheduler s = scheduler();
    tick(s);
    tick(s);
    assertThat(runs("probe")).hasSize(2);
    clock.advance(Duration.ofMinutes(1));
    publisher.run(new FakePublish(), new ProbeParams("ds1", 3));
    tick(s);
    clock.advance(Duration.ofMinutes(20)); // past the look-back: nothing is planned twice later either
    tick(s);
    List<JsonNode> runs = runs("probe");
    assertThat(runs).hasSize(3);
    assertThat(runs).allSatisfy(r -> assertThat(r.path("origin").path("trigger").asText())
        .startsWith("publish run ").endsWith(" of ds1"));
    assertThat(runs.stream().map(r -> r.path("origin").path("trigger").asText()).distinct()).hasSize(3);
    assertThat(runs.stream().map(r -> r.path("params").path("mode").asText()))
        .containsExactlyInAnyOrder("ds1-v1", "ds1-v2", "ds1-v3");
  }

  /** Appends curation decisions to label.labels as the labeling stage writes them, labeled at {@code at}. */
  void curate(String dataset, String value, int records, Instant at) {
    Table t = lakehouse.table(TableModel.LABEL_LABELS);
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      rows.add(Rows.of(t.schema(), Map.of("record_cid", "cid-" + UUID.randomUUID(), "dataset_id", dataset,
          "labeler", "curation", "labeler_version", "1", "label_key", "curation", "value", value,
          "labeled_at", at.atOffset(ZoneOffset.UTC))));
    }
    TableAppender.append(t, rows);
  }

  @Test
  void curatedRecordsTriggerFiresOncePerThresholdCrossingAlsoAcrossADownScheduler() throws Exception {
    curate("ds1", "included", 3, clock.instant()); // before the schedule: not counted
    clock.advance(Duration.ofMinutes(1));
    store().init();
    store().add(new ScheduleSpec("every5", "probe", JSON.createObjectNode().put("mode", "${dataset}"),
        new Trigger.Curated(5, "ds1"), SchedulePolicy.DEFAULT), "cli", clock.millis());
    clock.advance(Duration.ofMinutes(1));
    Scheduler first = scheduler("a", lakehouse);
    tick(first);
    assertThat(store().find("every5").orElseThrow().cursorRun()).isEqualTo("count:3");
    // 4 new of ds1; excluded ones and other datasets' do not count.
    curate("ds1", "included", 4, clock.instant());
    curate("ds1", "excluded", 2, clock.instant());
    curate("ds2", "included", 3, clock.instant());
    tick(first);
    assertThat(runs("probe")).isEmpty();
    first.close(Duration.ofSeconds(5));
    // While no scheduler runs, the threshold is crossed twice over (4 + 7 = 11 new): one run, not two.
    curate("ds1", "included", 1, clock.instant());
    curate("ds1", "included", 6, clock.instant());
    clock.advance(Duration.ofMinutes(1));
    Scheduler second = scheduler("b", lakehouse); // a new process: nothing in memory
    tick(second);
    tick(second);
    List<JsonNode> runs = runs("probe");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("origin").path("trigger").asText())
        .isEqualTo("11 new curated records of ds1 (3 -> 14)");
    assertThat(runs.get(0).path("params").path("mode").asText()).isEqualTo("ds1");
    assertThat(runs.get(0).path("status").asText()).isEqualTo("succeeded");
    // Counting restarts at the run: 4 more do not fire, the fifth does, once.
    clock.advance(Duration.ofMinutes(1));
    curate("ds1", "included", 4, clock.instant());
    tick(second);
    assertThat(runs("probe")).hasSize(1);
    curate("ds1", "included", 1, clock.instant());
    tick(second);
    tick(second);
    Scheduler third = scheduler("c", lakehouse); // another instance on the same catalog plans nothing again
    tick(third);
    assertThat(runs("probe")).hasSize(2);
    assertThat(store().history("every5", 10)).extracting(ScheduleStore.Tick::trigger)
        .containsExactly("5 new curated records of ds1 (14 -> 19)", "11 new curated records of ds1 (3 -> 14)");
  }

  @Test
  void twoSchedulersOnOneDatabaseRunEachTickOnce() throws Exception {
    Lakehouse second = Lakehouse.open(LakehouseOptions.embedded(dir));
    extraLakehouses.add(second);
    twoSchedulersRunEachTickOnce(second);
  }

  /** Two schedulers, each with its own lakehouse connection, tick concurrently through 8 cron minutes. */
  void twoSchedulersRunEachTickOnce(Lakehouse second) throws Exception {
    store().init();
    store().add(cron("minutely", "* * * * *", "ok", SchedulePolicy.DEFAULT), "cli", clock.millis());
    Scheduler a = scheduler("a", lakehouse);
    Scheduler b = scheduler("b", second);
    int minutes = 8;
    for (int i = 1; i <= minutes; i++) {
      clock.set(T0.plus(Duration.ofMinutes(i)));
      CompletableFuture<Void> fa = CompletableFuture.runAsync(() -> quietly(a));
      CompletableFuture<Void> fb = CompletableFuture.runAsync(() -> quietly(b));
      CompletableFuture.allOf(fa, fb).join();
      quietly(a);
      quietly(b);
    }
    List<JsonNode> runs = runs("probe");
    assertThat(runs).hasSize(minutes);
    assertThat(runs.stream().map(r -> r.path("origin").path("fire_time").asText()).distinct()).hasSize(minutes);
    assertThat(store().history("minutely", 100)).hasSize(minutes)
        .allSatisfy(t -> assertThat(t.status()).isEqualTo("succeeded"));
  }

  private static void quietly(Scheduler s) {
    try {
      tick(s);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFailingJobIsRetriedWithBackoffThenFailedWithItsError() throws Exception {
    store().init();
    store().add(cron("flaky", "0 * * * *", "fail", policy(2, Duration.ofMinutes(1), Duration.ZERO,
        SchedulePolicy.CatchUp.ONCE)), "cli", clock.millis());
    Scheduler s = scheduler();
    clock.set(Instant.parse("2026-06-01T01:00:00Z"));
    tick(s); // attempt 1 fails; retry after 1 minute
    clock.advance(Duration.ofSeconds(59));
    tick(s);
    assertThat(runs("probe")).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    tick(s); // attempt 2 fails; retry after 2 minutes (doubling)
    clock.advance(Duration.ofSeconds(119));
    tick(s);
    assertThat(runs("probe")).hasSize(2);
    assertThat(store().history("flaky", 1).get(0).status()).isEqualTo("retrying");
    clock.advance(Duration.ofSeconds(1));
    tick(s); // attempt 3 fails: no retries left
    clock.advance(Duration.ofMinutes(30));
    tick(s);
    List<JsonNode> runs = runs("probe");
    assertThat(runs).hasSize(3).allSatisfy(r -> {
      assertThat(r.path("status").asText()).isEqualTo("failed");
      assertThat(r.path("error").asText()).isEqualTo("IllegalStateException: probe failed on purpose");
    });
    assertThat(runs.stream().map(r -> r.path("origin").path("attempt").asInt())).containsExactlyInAnyOrder(1, 2, 3);
    ScheduleStore.Tick tick = store().history("flaky", 1).get(0);
    assertThat(tick.status()).isEqualTo("failed");
    assertThat(tick.attempt()).isEqualTo(3);
    assertThat(tick.error()).isEqualTo("IllegalStateException: probe failed on purpose");
  }

  @Test
  void aTimedOutJobIsStopped() throws Exception {
    store().init();
    ScheduleSpec slow = new ScheduleSpec("slow", "probe", JSON.createObjectNode().put("mode", "sleep")
        .put("sleep_ms", 60_000), Trigger.Cron.of("0 * * * *", "UTC"),
        policy(0, Duration.ofMinutes(1), Duration.ofMillis(300), SchedulePolicy.CatchUp.ONCE));
    store().add(slow, "cli", clock.millis());
    Scheduler s = scheduler();
    clock.set(Instant.parse("2026-06-01T01:00:00Z"));
    long start = System.nanoTime();
    tick(s);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    List<JsonNode> runs = runs("probe");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("status").asText()).isEqualTo("failed");
    assertThat(runs.get(0).path("error").asText()).isEqualTo("ScheduleException: timed out after PT0.3S; the run was stopped");
    ScheduleStore.Tick tick = store().history("slow", 1).get(0);
    assertThat(tick.status()).isEqualTo("failed");
    assertThat(tick.error()).contains("timed out after PT0.3S");
  }

  @Test
  void pausedSchedulesWaitAndResumeRunsOnceRunNowRunsAtOnce() throws Exception {
    store().init();
    store().add(cron("hourly", "0 * * * *", "ok", SchedulePolicy.DEFAULT), "cli", clock.millis());
    store().setPaused("hourly", true, clock.millis());
    Scheduler s = scheduler();
    clock.set(Instant.parse("2026-06-01T05:00:05Z"));
    tick(s);
    assertThat(runs("probe")).isEmpty();
    store().setPaused("hourly", false, clock.millis());
    tick(s);
    assertThat(runs("probe")).hasSize(1);
    store().runNow("hourly", clock.millis());
    tick(s);
    assertThat(runs("probe")).hasSize(2);
    assertThat(store().history("hourly", 10).get(0).trigger()).startsWith("run-now");
    assertThatThrownBy(() -> store().runNow("nope", clock.millis())).hasMessageContaining("no schedule 'nope'");
  }

  @Test
  void atMostMaxConcurrentRunsOfASchedule() throws Exception {
    store().init();
    store().add(new ScheduleSpec("one-at-a-time", "probe", JSON.createObjectNode().put("mode", "sleep")
        .put("sleep_ms", 1500), Trigger.Cron.of("0 0 1 1 *", "UTC"), SchedulePolicy.DEFAULT), "cli", clock.millis());
    store().runNow("one-at-a-time", clock.millis());
    store().runNow("one-at-a-time", clock.millis());
    Scheduler s = scheduler(); // two worker threads: both ticks could start, the policy allows one
    assertThat(s.tick().started()).isEqualTo(1);
    assertThat(s.tick().started()).isZero();
    assertThat(s.awaitIdle(Duration.ofSeconds(30))).isTrue();
    assertThat(s.tick().started()).isEqualTo(1);
    assertThat(s.awaitIdle(Duration.ofSeconds(30))).isTrue();
    assertThat(store().history("one-at-a-time", 10)).hasSize(2)
        .allSatisfy(t -> assertThat(t.status()).isEqualTo("succeeded"));
  }

  @Test
  void aBadSchedulesFileSchedulesNothing() throws Exception {
    Files.writeString(dir.resolve("schedules.yaml"), """
        version: 1
        schedules:
          - id: good
            job: probe
            cron: "0 * * * *"
          - id: bad
            job: probe
            cron: "0 25 * * *"
        """);
    Scheduler s = scheduler();
    assertThatThrownBy(s::loadFile).isInstanceOf(ScheduleException.class)
        .hasMessageStartingWith(dir.resolve("schedules.yaml") + ":8: bad cron '0 25 * * *'");
    assertThat(store().list()).isEmpty();
    Files.writeString(dir.resolve("schedules.yaml"), """
        version: 1
        schedules:
          - id: good
            job: probe
            cron: "0 * * * *"
            timezone: Europe/Berlin
        """);
    assertThat(s.loadFile()).isEqualTo(1);
    assertThat(store().list()).extracting(st -> st.spec().id()).containsExactly("good");
  }

  /** A clock tests move by hand. */
  static final class FakeClock extends Clock {
    private volatile Instant now;

    FakeClock(Instant start) {
      now = start;
    }

    void set(Instant t) {
      now = t;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

}
