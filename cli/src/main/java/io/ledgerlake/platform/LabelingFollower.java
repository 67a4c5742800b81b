package io.ledgerlake.platform;

import io.ledgerlake.labeling.flink.LabelingJob;
import io.ledgerlake.labeling.flink.LabelingJobMain;
import io.ledgerlake.labeling.stage.LabelWriterLock;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.platform.flink.FlinkClusterOptions;
import io.ledgerlake.platform.flink.SessionClusterJobs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the streaming labeling job ({@link LabelingJob}) under {@code ledgerlake up}: it follows ingest.records as the
 * ingestion job commits and writes label.labels exactly once. Checkpoints are retained under
 * {@code <data-dir>/flink/labeling-checkpoints} and resumed on the next start, unless {@code ledgerlake label run}
 * (the batch stage) wrote label.labels in between; then the job starts from the batch stage's cursor. Holds the
 * {@link LabelWriterLock} while the job runs, so {@code label run} refuses instead of writing alongside it.
 */
final class LabelingFollower implements PlatformService {
  private static final Logger LOG = LoggerFactory.getLogger(LabelingFollower.class);

  private final JobClient job;
  private final LabelWriterLock lock;

  private LabelingFollower(JobClient job, LabelWriterLock lock) {
    this.job = job;
    this.lock = lock;
  }

  static LabelingFollower start(LakehouseOptions lakehouse, LedgerLakePlatform.Labeling config, Path dataDir)
      throws Exception {
    LabelWriterLock lock = LabelWriterLock.acquire(lakehouse, "the streaming labeling job of `ledgerlake up`");
    try {
      Path checkpoints = dataDir.resolve("flink").resolve("labeling-checkpoints");
      JobClient job = LabelingJob.startEmbedded(lakehouse, config.options(), config.job(), checkpoints);
      LOG.info("Labeling job {} started (checkpoints in {})", job.getJobID(), checkpoints);
      cancelWhenLost(lock, job);
      return new LabelingFollower(job, lock);
    } catch (Exception | Error e) {
      lock.close();
      throw e;
    }
  }

  /**
   * The same job submitted to a Flink session cluster as its slim job jar: checkpoints under {@code <data-dir>/flink/
   * cluster/labeling-checkpoints}, resumed by the same rule ({@link LabelingJob#restorePoint}); the writer lease is
   * held by this process, which cancels the cluster job when the lease is lost.
   */
  static LabelingFollower startOnCluster(LakehouseOptions lakehouse, LedgerLakePlatform.Labeling config, Path dataDir,
      SessionClusterJobs cluster, FlinkClusterOptions flink) {
    LabelWriterLock lock = LabelWriterLock.acquire(lakehouse, "the streaming labeling job of `ledgerlake up`");
    try {
      Path checkpoints = dataDir.resolve("flink").resolve("cluster").resolve("labeling-checkpoints");
      JobClient job = cluster.submit(flink.labelingJar(), LabelingJobMain.class.getName(), checkpoints,
          LabelingJob.restorePoint(checkpoints, LabelingJob.cursor(lakehouse)), config.job().restartAttempts(),
          config.job().restartDelay());
      cancelWhenLost(lock, job);
      return new LabelingFollower(job, lock);
    } catch (RuntimeException | Error e) {
      lock.close();
      throw e;
    }
  }

  // Another process took over label.labels (this one stalled past the lease): stop writing, so no commit of ours
  // lands between theirs; the next `up` resumes from the cursor.
  private static void cancelWhenLost(LabelWriterLock lock, JobClient job) {
    lock.onLost(() -> {
      LOG.error("The labeling writer lease was taken over by another process; cancelling labeling job {}",
          job.getJobID());
      job.cancel();
    });
  }

  JobClient job() {
    return job;
  }

  @Override
  public String name() {
    return "Labeling";
  }

  @Override
  public String describe() {
    return "Flink job " + job.getJobID() + ": ingest.records → label.labels";
  }

  /** Cancels the job (its last checkpoint is retained for the next start) and releases the lock. */
  @Override
  public void close() {
    try {
      job.cancel().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Stopping the labeling job failed", e);
    } finally {
      lock.close();
    }
  }
}
