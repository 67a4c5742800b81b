package io.ledgerlake.platform.flink;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * A job on a session cluster seen through {@link FlinkRestClient}, as a Flink {@link JobClient}: the platform's health
 * and shutdown code treat an embedded job and a cluster job alike. Savepoints and accumulators are not offered
 * (nothing in LedgerLake uses them on a cluster; the futures fail with UnsupportedOperationException).
 */
public final class ClusterJobClient implements JobClient {
  private final FlinkRestClient rest;
  private final JobID job;

  public ClusterJobClient(FlinkRestClient rest, JobID job) {
    this.rest = requireNonNull(rest, "rest");
    this.job = requireNonNull(job, "job");
  }

  @Override
  public JobID getJobID() {
    return job;
  }

  @Override
  public CompletableFuture<JobStatus> getJobStatus() {
    return CompletableFuture.supplyAsync(() -> rest.status(job));
  }

  @Override
  public CompletableFuture<Void> cancel() {
    return CompletableFuture.runAsync(() -> rest.cancel(job));
  }

  @Override
  public CompletableFuture<String> stopWithSavepoint(boolean advanceToEndOfEventTime, String savepointDirectory,
      SavepointFormatType formatType) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("stop-with-savepoint of a cluster job"));
  }

  @Override
  public CompletableFuture<String> triggerSavepoint(String savepointDirectory, SavepointFormatType formatType) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("savepoint of a cluster job"));
  }

  @Override
  public CompletableFuture<Map<String, Object>> getAccumulators() {
    return CompletableFuture.completedFuture(Map.of());
  }

  /**
   * Completes when the job reaches a globally terminal state (polled every 500 ms): normally when it finished,
   * exceptionally with the cluster's root exception when it failed or was cancelled.
   */
  @Override
  public CompletableFuture<JobExecutionResult> getJobExecutionResult() {
    CompletableFuture<JobExecutionResult> result = new CompletableFuture<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "flink-job-result-" + job);
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(() -> {
      try {
        JobStatus status = rest.status(job);
        if (status == JobStatus.FINISHED) {
          result.complete(new JobExecutionResult(job, 0, Map.of()));
        } else if (status.isGloballyTerminalState()) {
          String cause = rest.rootException(job).orElse("no exception recorded");
          result.completeExceptionally(new IllegalStateException("job " + job + " " + status + ": " + cause));
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, 0, 500, TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> poller.shutdownNow());
    return result;
  }
}
