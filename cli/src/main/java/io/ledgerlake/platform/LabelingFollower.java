package io.ledgerlake.platform;

import io.ledgerlake.labeling.flink.LabelingJob;
import io.ledgerlake.labeling.flink.LabelingJobMain;
import io.ledgerlake.labeling.stage.LabelWriterLock;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.platform.flink.FlinkClusterOptions;
import io.ledgerlake.platform.flink.SessionClusterJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the streaming labeling job ({@link LabelingJob}) under {@code ledgerlake up}: it follows ingest.records as the
 * ingestion job commits and writes label.labels exactly once. Checkpoints are retained under
 * {@code <data-dir>/flink/labeling-checkpoints} and resumed on the next start, unless another writer ({@code
 * ledgerlake label run}, or another {@code up}) wrote label.labels in between; then the job starts from the cursor
 * that writer committed. Holds the {@link LabelWriterLock} while the job runs, so {@code label run} refuses instead
 * of writing alongside it.
 *
 * <p>Standby: with a PostgreSQL catalog several {@code up} processes (on several machines) share label.labels, and
 * only one may write it. A process that finds the writer lease held does not fail: it serves everything else, shows
 * {@code "labeling-job": "standby: …"} in {@code /health}, and tries the lease every {@link #STANDBY_RETRY}; when the
 * holder stops (or dies and its lease expires) it starts the job from the committed cursor. A holder that loses its
 * lease (it stalled past the time-to-live and another took over) cancels its job and becomes a standby itself.
 * docs/decisions/cluster-coordination.md.
 */
final class LabelingFollower implements PlatformService {
  private static final Logger LOG = LoggerFactory.getLogger(LabelingFollower.class);
  static final Duration STANDBY_RETRY = Duration.ofSeconds(5);
  private static final String HOLDER = "the streaming labeling job of `ledgerlake up`";
  private static final String NAME = "labeling";

  /** Submits the job; called with the writer lock held, so the restore point it computes is current. */
  @FunctionalInterface
  private interface JobStarter {
    JobClient start() throws Exception;
  }

  private final LakehouseOptions lakehouse;
  private final PlatformHealth health;
  private final JobStarter starter;
  // Guarded by this: the running job and its lock, or who holds the lease while this process waits.
  private JobClient job;
  private LabelWriterLock lock;
  private String heldBy;
  private ScheduledExecutorService standby;
  private boolean closed;

  private LabelingFollower(LakehouseOptions lakehouse, PlatformHealth health, JobStarter starter) {
    this.lakehouse = lakehouse;
    this.health = health;
    this.starter = starter;
  }

  static LabelingFollower start(LakehouseOptions lakehouse, LedgerLakePlatform.Labeling config, Path dataDir,
      PlatformHealth health) throws Exception {
    Path checkpoints = dataDir.resolve("flink").resolve("labeling-checkpoints");
    return open(lakehouse, health, () -> {
      JobClient job = LabelingJob.startEmbedded(lakehouse, config.options(), config.job(), checkpoints);
      LOG.info("Labeling job {} started (checkpoints in {})", job.getJobID(), checkpoints);
      return job;
    });
  }

  /**
   * The same job submitted to a Flink session cluster as its slim job jar: checkpoints under {@code <data-dir>/flink/
   * cluster/labeling-checkpoints}, resumed by the same rule ({@link LabelingJob#restorePoint}); the writer lease is
   * held by this process, which cancels the cluster job when the lease is lost.
   */
  static LabelingFollower startOnCluster(LakehouseOptions lakehouse, LedgerLakePlatform.Labeling config, Path dataDir,
      SessionClusterJobs cluster, FlinkClusterOptions flink, PlatformHealth health) throws Exception {
    Path checkpoints = dataDir.resolve("flink").resolve("cluster").resolve("labeling-checkpoints");
    return open(lakehouse, health, () -> cluster.submit(flink.labelingJar(), LabelingJobMain.class.getName(),
        checkpoints, LabelingJob.restorePoint(checkpoints, LabelingJob.cursor(lakehouse)),
        config.job().restartAttempts(), config.job().restartDelay()));
  }

  private static LabelingFollower open(LakehouseOptions lakehouse, PlatformHealth health, JobStarter starter)
      throws Exception {
    LabelingFollower follower = new LabelingFollower(lakehouse, health, starter);
    var shared = LabelWriterLock.tryAcquireShared(lakehouse, HOLDER);
    if (shared.isEmpty()) {
      // The data directory's lock: held means `label run` on this machine; say so rather than wait.
      follower.run(LabelWriterLock.acquire(lakehouse, HOLDER));
    } else if (shared.get().acquired()) {
      follower.run(shared.get().lock());
    } else {
      follower.standBy(shared.get().heldBy());
    }
    return follower;
  }

  private synchronized void run(LabelWriterLock held) throws Exception {
    JobClient started;
    try {
      started = starter.start();
    } catch (Exception | Error e) {
      held.close();
      throw e;
    }
    job = started;
    lock = held;
    heldBy = null;
    health.watch(NAME, started, false);
    held.onLost(() -> lost(started));
  }

  // Another process took over label.labels (this one stalled past the lease): stop writing, so no commit of ours
  // lands between theirs, and wait for our turn again.
  private void lost(JobClient lostJob) {
    LabelWriterLock old;
    synchronized (this) {
      if (closed || job != lostJob) {
        return;
      }
      old = lock;
      job = null;
      lock = null;
      // before the cancel, so the health poller does not report the cancelled job as a failure
      standBy("another process");
    }
    LOG.error("The labeling writer lease was taken over by another process; cancelling labeling job {}",
        lostJob.getJobID());
    lostJob.cancel();
    old.close();
  }

  private synchronized void standBy(String holder) {
    heldBy = holder;
    health.standby(NAME, "standby: label.labels is written by " + holder + "; this process takes over when that "
        + "writer's lease ends");
    LOG.info("label.labels is written by {}; labeling stands by and tries again every {} s", holder,
        STANDBY_RETRY.toSeconds());
    if (standby == null) {
      standby = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ledgerlake-labeling-standby");
        t.setDaemon(true);
        return t;
      });
      standby.scheduleWithFixedDelay(this::tryTakeOver, STANDBY_RETRY.toMillis(), STANDBY_RETRY.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private void tryTakeOver() {
    synchronized (this) {
      if (closed || job != null) {
        return;
      }
    }
    try {
      LabelWriterLock.Attempt attempt = LabelWriterLock.tryAcquireShared(lakehouse, HOLDER).orElseThrow();
      synchronized (this) {
        if (!attempt.acquired()) {
          if (!attempt.heldBy().equals(heldBy)) {
            standBy(attempt.heldBy());
          }
          return;
        }
        if (closed) {
          attempt.lock().close();
          return;
        }
        LOG.info("Took over the label.labels writer lease from {}; starting the labeling job", heldBy);
        run(attempt.lock());
      }
    } catch (Exception e) {
      LOG.warn("Taking over labeling failed; trying again in {} s", STANDBY_RETRY.toSeconds(), e);
    }
  }

  /** Whether this process runs the labeling job now (false: standby). */
  synchronized boolean writing() {
    return job != null;
  }

  @Override
  public String name() {
    return "Labeling";
  }

  @Override
  public synchronized String describe() {
    return job != null ? "Flink job " + job.getJobID() + ": ingest.records → label.labels"
        : "standby: label.labels is written by " + heldBy + "; takes over when that writer's lease ends";
  }

  /** Cancels the job (its last checkpoint is retained for the next start) and releases the lock. */
  @Override
  public void close() {
    JobClient running;
    LabelWriterLock held;
    ScheduledExecutorService retry;
    synchronized (this) {
      closed = true;
      running = job;
      held = lock;
      retry = standby;
      job = null;
      lock = null;
    }
    if (retry != null) {
      retry.shutdownNow();
    }
    try {
      if (running != null) {
        running.cancel().get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Stopping the labeling job failed", e);
    } finally {
      if (held != null) {
        held.close();
      }
    }
  }
}
