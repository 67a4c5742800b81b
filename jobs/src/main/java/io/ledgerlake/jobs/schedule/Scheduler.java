package io.ledgerlake.jobs.schedule;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.jobs.RunOrigin;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded scheduler: each {@link #tick} (every poll interval when {@link #start}ed; called directly by tests
 * with a fake clock) heartbeats this instance's claims, plans due cron ticks and ticks for new job runs, then claims
 * due ticks and runs them through the {@link JobRunner} on its worker threads, so every run is one
 * {@code ops.job_runs} row carrying its {@link RunOrigin}. Any number of instances may share one catalog database;
 * the store's conditional updates decide who plans and who runs (see {@link ScheduleStore}).
 *
 * <p>An attempt that fails, times out, or whose scheduler stopped (its claim expired) is retried after the policy's
 * backoff while retries remain, else the tick is failed with the error. Timed-out runs are interrupted; a job that
 * ignores interruption keeps its claim (heartbeated) until it returns, so it never runs twice at once.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Job runs are looked for this far before the cursor: a run row committed late (after a later one) still fires. */
  static final Duration EVENT_LOOKBACK = Duration.ofMinutes(10);

  private final ScheduleStore store;
  private final JobCatalog jobs;
  private final Lakehouse lakehouse;
  private final SchedulerOptions options;
  private final Clock clock;
  private final JobRunner runner;
  private final Launcher launcher;
  private final ExecutorService workers;
  private final ExecutorService jobThreads;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private ScheduledExecutorService loop;
  private final CuratedCounts curatedCounts;
  private long jobRunsSnapshotSeen = -1;
  private List<FinishedRun> jobRunsCache = List.of();

  /** A succeeded run in ops.job_runs, as event triggers see it. */
  record FinishedRun(String runId, String job, long finishedMs, String dataset, String version) {}

  /** What one tick did; for tests, logs and the benchmark. */
  public record TickReport(int planned, int started, int expired) {}

  /** How a claimed attempt runs; the runner (with the timeout) except in the overhead benchmark. */
  interface Launcher {
    void launch(JobInvocation<?, ?> invocation, RunOrigin origin, Duration timeout) throws Exception;
  }

  public Scheduler(ScheduleStore store, JobCatalog jobs, Lakehouse lakehouse, SchedulerOptions options, Clock clock,
      PrintWriter progress) {
    this(store, jobs, lakehouse, options, clock, progress, null);
  }

  Scheduler(ScheduleStore store, JobCatalog jobs, Lakehouse lakehouse, SchedulerOptions options, Clock clock,
      PrintWriter progress, Launcher launcher) {
    this.launcher = launcher != null ? launcher : (invocation, origin, timeout) -> runLimited(invocation, origin,
        timeout);
    this.store = requireNonNull(store, "store");
    this.jobs = requireNonNull(jobs, "jobs");
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.options = requireNonNull(options, "options");
    this.clock = requireNonNull(clock, "clock");
    this.runner = new JobRunner(lakehouse, progress, clock);
    this.workers = Executors.newFixedThreadPool(options.threads(), daemon("ledgerlake-scheduler-worker"));
    this.jobThreads = Executors.newCachedThreadPool(daemon("ledgerlake-scheduled-job"));
    this.curatedCounts = new CuratedCounts(lakehouse);
    store.init();
  }

  /** Reads the schedules file into the store (all or nothing); returns how many schedules it declares. */
  public int loadFile() {
    List<ScheduleSpec> specs = SchedulesFile.read(options.schedulesFile(), jobs);
    store.replaceSource("file", specs, clock.millis());
    return specs.size();
  }

  /** Ticks every poll interval on a background thread until {@link #close}. */
  public synchronized Scheduler start() {
    if (loop == null) {
      loop = Executors.newSingleThreadScheduledExecutor(daemon("ledgerlake-scheduler"));
      long every = options.pollInterval().toMillis();
      loop.scheduleWithFixedDelay(() -> {
        try {
          tick();
        } catch (RuntimeException e) {
          // A locked or unreachable database is retried at the next poll; the claims outlive a few missed heartbeats.
          LOG.warn("Scheduler tick failed: {}", e.getMessage(), e);
        }
      }, 0, every, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** One pass: heartbeat, plan, claim and start. Runs proceed on worker threads; see {@link #awaitIdle}. */
  public synchronized TickReport tick() {
    long now = clock.millis();
    store.heartbeat(options.instanceId(), now + options.lease().toMillis());
    int planned = planCron(now) + planEvents(now);
    int started = 0;
    int expired = 0;
    for (ScheduleStore.Tick t : store.claimable(now, options.threads() * 4 + 16)) {
      if (closed.get()) {
        break;
      }
      if (t.status().equals("running")) {
        expired += expire(t, now) ? 1 : 0;
        continue;
      }
      if (inFlight.get() >= options.threads()) {
        break;
      }
      Optional<ScheduleStore.Stored> schedule = store.find(t.scheduleId());
      if (schedule.isEmpty()) {
        continue;
      }
      ScheduleSpec spec = schedule.get().spec();
      String runId = UUID.randomUUID().toString();
      Optional<ScheduleStore.Tick> claimed = store.claim(t, spec.policy().maxConcurrent(), options.instanceId(), now,
          now + options.lease().toMillis(), runId);
      if (claimed.isPresent()) {
        inFlight.incrementAndGet();
        started++;
        workers.execute(() -> {
          try {
            attempt(spec, claimed.get());
          } finally {
            inFlight.decrementAndGet();
          }
        });
      }
    }
    return new TickReport(planned, started, expired);
  }

  /** Waits until no run started by this instance is in progress; false on timeout. For tests and shutdown. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  /** Cron schedules due now: one tick (catch-up once), every missed tick (all) or only a timely one (none). */
  private int planCron(long now) {
    int planned = 0;
    for (ScheduleStore.Stored s : store.dueCron(now)) {
      Trigger.Cron cron = (Trigger.Cron) s.spec().trigger();
      List<Instant> missed = new ArrayList<>();
      Instant fire = Instant.ofEpochMilli(s.nextFireMs());
      Instant nowI = Instant.ofEpochMilli(now);
      while (!fire.isAfter(nowI)) {
        missed.add(fire);
        if (missed.size() > SchedulePolicy.MAX_CATCH_UP_TICKS) {
          missed.remove(0);
        }
        fire = cron.nextAfter(fire);
      }
      List<Instant> fires = switch (s.spec().policy().catchUp()) {
        case ALL -> missed;
        case ONCE -> List.of(missed.get(missed.size() - 1));
        case NONE -> missed.subList(missed.size() - 1, missed.size()).stream()
            .filter(f -> now - f.toEpochMilli() <= options.misfireThreshold().toMillis()).toList();
      };
      List<ScheduleStore.Tick> ticks = new ArrayList<>();
      for (Instant f : fires) {
        String trigger = cron.describe() + " at " + f + (missed.size() > 1 ? " (" + missed.size() + " due)" : "");
        ticks.add(tick(s.spec().id(), "cron:" + f.toEpochMilli(), trigger, f.toEpochMilli(), now, null));
      }
      if (store.plan(s.spec().id(), "next_fire_ms", s.nextFireMs(), fire.toEpochMilli(), ticks)) {
        planned += ticks.size();
        if (missed.size() > fires.size()) {
          LOG.info("Schedule {}: {} tick(s) due after downtime, running {} (catch-up {})", s.spec().id(),
              missed.size(), fires.size(), s.spec().policy().catchUp());
        }
      }
    }
    return planned;
  }

  /** Event schedules: one tick per succeeded run of the trigger's job after the schedule's cursor. */
  private int planEvents(long now) {
    List<ScheduleStore.Stored> all = store.eventSchedules();
    List<ScheduleStore.Stored> schedules = all.stream().filter(s -> s.spec().trigger() instanceof Trigger.OnJob)
        .toList();
    List<ScheduleStore.Stored> curated = all.stream().filter(s -> s.spec().trigger() instanceof Trigger.Curated)
        .toList();
    int planned = curated.isEmpty() ? 0 : planCurated(curated, now);
    if (schedules.isEmpty()) {
      return planned;
    }
    List<FinishedRun> runs = finishedRuns();
    for (ScheduleStore.Stored s : schedules) {
      Trigger.OnJob on = (Trigger.OnJob) s.spec().trigger();
      long from = s.cursorMs() - EVENT_LOOKBACK.toMillis();
      List<FinishedRun> candidates = runs.stream()
          .filter(r -> r.job().equals(on.job()) && r.finishedMs() >= from)
          .filter(r -> on.dataset() == null || on.dataset().equals(r.dataset()))
          .sorted(Comparator.comparingLong(FinishedRun::finishedMs).thenComparing(FinishedRun::runId))
          .toList();
      if (candidates.isEmpty()) {
        continue;
      }
      Set<String> seen = store.tickIdsSince(s.spec().id(), from);
      List<ScheduleStore.Tick> ticks = new ArrayList<>();
      long cursor = s.cursorMs();
      for (FinishedRun r : candidates) {
        String id = s.spec().id() + "|run:" + r.runId();
        cursor = Math.max(cursor, r.finishedMs());
        if (!seen.contains(id)) {
          String trigger = on.job() + " run " + r.runId() + (r.dataset() == null ? "" : " of " + r.dataset());
          ObjectNode vars = JSON.createObjectNode();
          if (r.dataset() != null) {
            vars.put("dataset", r.dataset());
          }
          if (r.version() != null) {
            vars.put("version", r.version());
          }
          ticks.add(tick(s.spec().id(), "run:" + r.runId(), trigger, r.finishedMs(), now, vars.toString()));
        }
      }
      if (!ticks.isEmpty() && store.plan(s.spec().id(), "cursor_ms", s.cursorMs(), cursor, ticks)) {
        planned += ticks.size();
      }
    }
    return planned;
  }

  /**
   * Curated-records schedules: the first time one is seen its baseline is the count of records curated before it was
   * declared; once the count has grown by the threshold since the baseline, one tick is planned and the baseline moves
   * to the count (conditionally, so two schedulers plan it once). The baseline is stored, the count is recomputed
   * from the table: nothing is lost while the scheduler is down, and a crossing fires once however far it went.
   */
  private int planCurated(List<ScheduleStore.Stored> schedules, long now) {
    Map<String, Long> counts = curatedCounts.current();
    int planned = 0;
    for (ScheduleStore.Stored s : schedules) {
      Trigger.Curated on = (Trigger.Curated) s.spec().trigger();
      String stored = s.cursorRun();
      long baseline = stored.startsWith(COUNT_PREFIX) ? Long.parseLong(stored.substring(COUNT_PREFIX.length()))
          : curatedCounts.before(s.cursorMs(), on.dataset());
      long count = on.dataset() == null ? counts.values().stream().mapToLong(Long::longValue).sum()
          : counts.getOrDefault(on.dataset(), 0L);
      if (count - baseline >= on.records()) {
        String trigger = (count - baseline) + " new curated records" + (on.dataset() == null ? "" : " of "
            + on.dataset()) + " (" + baseline + " -> " + count + ")";
        ObjectNode vars = JSON.createObjectNode();
        if (on.dataset() != null) {
          vars.put("dataset", on.dataset());
        }
        ScheduleStore.Tick t = tick(s.spec().id(), "curated:" + baseline + "-" + count, trigger, now, now,
            vars.toString());
        if (store.planCount(s.spec().id(), stored, COUNT_PREFIX + count, List.of(t))) {
          planned++;
        }
      } else if (!stored.startsWith(COUNT_PREFIX)) {
        store.planCount(s.spec().id(), stored, COUNT_PREFIX + baseline, List.of());
      }
    }
    return planned;
  }

  private static final String COUNT_PREFIX = "count:";

  /** Succeeded runs in ops.job_runs; re-read only when the table has a new snapshot. */
  private List<FinishedRun> finishedRuns() {
    Table table = lakehouse.table(TableModel.OPS_JOB_RUNS);
    table.refresh();
    Snapshot current = table.currentSnapshot();
    long snapshot = current == null ? -1 : current.snapshotId();
    if (snapshot == jobRunsSnapshotSeen) {
      return jobRunsCache;
    }
    List<FinishedRun> out = new ArrayList<>();
    if (current != null) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
          .where(Expressions.equal("status", "succeeded")).select("run_id", "job_name", "finished_at", "params_json")
          .build()) {
        for (Record r : rows) {
          OffsetDateTime finished = (OffsetDateTime) r.getField("finished_at");
          if (finished != null) {
            out.add(new FinishedRun((String) r.getField("run_id"), (String) r.getField("job_name"),
                finished.toInstant().toEpochMilli(), field((String) r.getField("params_json"), DATASET_FIELDS),
                field((String) r.getField("params_json"), VERSION_FIELDS)));
          }
        }
      } catch (java.io.IOException e) {
        throw new ScheduleException(ErrorCategory.EXTERNAL, "cannot read ops.job_runs: " + e.getMessage(), e);
      }
    }
    jobRunsSnapshotSeen = snapshot;
    jobRunsCache = List.copyOf(out);
    return jobRunsCache;
  }

  // Where runs record what they were about: publish at the top level (its details), other jobs in their parameters.
  private static final String[] DATASET_FIELDS = {"/dataset", "/params/dataset", "/params/dataset_id"};
  private static final String[] VERSION_FIELDS = {"/tag", "/params/version", "/params/version_tag", "/params/tag"};

  /** The first textual field of {@code paths} in a run's params_json, or null. */
  static String field(String paramsJson, String[] paths) {
    if (paramsJson == null) {
      return null;
    }
    try {
      JsonNode root = JSON.readTree(paramsJson);
      for (String p : paths) {
        JsonNode n = root.at(p);
        if (n.isTextual()) {
          return n.asText();
        }
      }
    } catch (java.io.IOException e) {
      LOG.debug("params_json is not JSON: {}", e.getMessage());
    }
    return null;
  }

  /**
   * The schedule's parameters with {@code ${dataset}} and {@code ${version}} replaced by what the triggering run was
   * about, so "embed each new version" needs no version in its declaration.
   */
  static ObjectNode bindVariables(ObjectNode params, String varsJson) {
    ObjectNode out = params.deepCopy();
    JsonNode vars;
    try {
      vars = varsJson == null ? JSON.createObjectNode() : JSON.readTree(varsJson);
    } catch (java.io.IOException e) {
      throw new ScheduleException(ErrorCategory.INTERNAL, "tick variables are not JSON: " + e.getMessage(), e);
    }
    for (var it = params.fields(); it.hasNext(); ) {
      var e = it.next();
      String v = e.getValue().asText();
      java.util.regex.Matcher m = VARIABLE.matcher(v);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        JsonNode value = vars.path(m.group(1));
        if (!value.isTextual()) {
          throw ScheduleException.user("parameter '%s' uses ${%s}, which this trigger does not provide (only runs"
              + " triggered by a job run that recorded a %s do)", e.getKey(), m.group(1), m.group(1));
        }
        m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(value.asText()));
      }
      m.appendTail(sb);
      if (!sb.toString().equals(v)) {
        out.put(e.getKey(), sb.toString());
      }
    }
    return out;
  }

  private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\$\\{(dataset|version)}");

  /** A running tick whose owner stopped heartbeating: that attempt failed; retry or fail by policy. */
  private boolean expire(ScheduleStore.Tick t, long now) {
    Optional<ScheduleStore.Stored> schedule = store.find(t.scheduleId());
    SchedulePolicy policy = schedule.map(s -> s.spec().policy()).orElse(SchedulePolicy.DEFAULT);
    String error = "attempt " + t.attempt() + " lost: scheduler " + t.owner() + " stopped during the run (claim "
        + "expired); run " + t.runId() + " has a START event without an end in lineage.events";
    return end(t, t.owner(), policy, error, now, now);
  }

  private void attempt(ScheduleSpec spec, ScheduleStore.Tick tick) {
    String error = null;
    JobInvocation<?, ?> invocation = null;
    try {
      invocation = jobs.get(spec.job()).bind(bindVariables(spec.params(), tick.varsJson()), lakehouse);
      RunOrigin origin = new RunOrigin(UUID.fromString(tick.runId()), spec.id(), tick.trigger(),
          Instant.ofEpochMilli(tick.fireMs()), tick.attempt());
      launcher.launch(invocation, origin, spec.policy().timeout());
      LOG.info("Schedule {} tick {} attempt {} succeeded (run {})", spec.id(), tick.tickId(), tick.attempt(),
          tick.runId());
    } catch (Exception | Error e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
          + e.getMessage();
      LOG.info("Schedule {} tick {} attempt {} failed: {}", spec.id(), tick.tickId(), tick.attempt(), error);
    } finally {
      if (invocation != null && invocation.resources() != null) {
        try {
          invocation.resources().close();
        } catch (Exception e) {
          LOG.warn("Schedule {} tick {}: closing what the run opened failed: {}", spec.id(), tick.tickId(),
              e.getMessage());
        }
      }
    }
    end(tick, options.instanceId(), spec.policy(), error, clock.millis(), null);
  }

  /** Records the end of an attempt: succeeded; or retrying after backoff; or failed when no retry remains. */
  private boolean end(ScheduleStore.Tick tick, String owner, SchedulePolicy policy, String error, long now,
      Long expiredBefore) {
    String status;
    long due = now;
    if (error == null) {
      status = "succeeded";
    } else if (tick.attempt() <= policy.retries()) {
      status = "retrying";
      due = now + policy.backoffBefore(tick.attempt() + 1).toMillis();
    } else {
      status = "failed";
    }
    String text = error == null ? null : error.length() <= 2000 ? error : error.substring(0, 1999) + "…";
    boolean applied = store.finish(tick, owner, status, due, text, now, expiredBefore);
    if (!applied && expiredBefore == null) {
      LOG.warn("Schedule {} tick {}: attempt {} ended after its claim was lost; its outcome was not recorded",
          tick.scheduleId(), tick.tickId(), tick.attempt());
    }
    return applied;
  }

  /** Runs through the runner; past {@code timeout} (non-zero) the run is interrupted and fails as timed out. */
  private <P extends JobParams, R extends JobResult> void runLimited(JobInvocation<P, R> invocation,
      RunOrigin origin, Duration timeout) throws Exception {
    if (timeout.isZero()) {
      invocation.run(runner, origin);
      return;
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    Job<P, R> limited = new TimeLimited<>(invocation.job(), timedOut, timeout);
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    Future<R> future = jobThreads.submit(() -> {
      try {
        return runner.run(limited, invocation.params(), origin);
      } finally {
        ended.countDown();
      }
    });
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      timedOut.set(true);
      future.cancel(true);
      // cancel() returns at once; the claim is held (heartbeated) until the job's thread has really ended and the
      // runner has recorded the run, so the next attempt never overlaps this one.
      ended.await();
      throw new ScheduleException(ErrorCategory.EXTERNAL, "timed out after " + timeout + "; the run was stopped");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** The job with a name that stays the same, converting the interruption of a timed-out run into a clear error. */
  private static final class TimeLimited<P extends JobParams, R extends JobResult> implements Job<P, R> {
    private final Job<P, R> job;
    private final AtomicBoolean timedOut;
    private final Duration timeout;

    TimeLimited(Job<P, R> job, AtomicBoolean timedOut, Duration timeout) {
      this.job = job;
      this.timedOut = timedOut;
      this.timeout = timeout;
    }

    @Override
    public String name() {
      return job.name();
    }

    @Override
    public PinnedInputs inputs(P params, JobContext context) {
      return job.inputs(params, context);
    }

    @Override
    public R run(P params, PinnedInputs inputs, JobContext context) throws Exception {
      try {
        return job.run(params, inputs, context);
      } catch (Exception e) {
        if (timedOut.get()) {
          // The runner records this message in ops.job_runs: say why the job was interrupted.
          throw new ScheduleException(ErrorCategory.EXTERNAL, "timed out after " + timeout + "; the run was stopped",
              e);
        }
        throw e;
      } finally {
        Thread.interrupted(); // the runner's recording must not see our interrupt
      }
    }
  }

  private static ScheduleStore.Tick tick(String scheduleId, String key, String trigger, long fireMs, long now,
      String varsJson) {
    return new ScheduleStore.Tick(scheduleId + "|" + key, scheduleId, trigger, fireMs, "queued", 0, now, null, null,
        null, null, null, varsJson);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops ticking and waits up to {@code grace} for runs in progress; their claims expire if they outlive it. */
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      if (loop != null) {
        loop.shutdownNow();
      }
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Scheduler stopped with runs in progress; other instances retry them when their claims expire");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    jobThreads.shutdownNow();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
