package io.ledgerlake.platform;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.server.IngestionReadiness;
import io.ledgerlake.ingestion.status.SubmissionProgress;
import io.ledgerlake.ingestion.status.SubmissionState;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the Flink jobs of {@code ledgerlake up} and says so, loudly, when one stops running: one ERROR line with
 * the cause, {@code GET /health} answers 503, new uploads are refused with 503 while the ingestion job is down
 * (instead of 202 for data nothing would ingest), and the status of submissions waiting to be ingested says why.
 *
 * <p>Why polling: a {@link JobClient} offers no status callback; a terminal state is final, so a poll every
 * {@link #POLL_INTERVAL} is enough and costs one RPC to the local MiniCluster.
 */
final class PlatformHealth implements IngestionReadiness, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformHealth.class);
  static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

  /** One watched job. {@code state} is what /health shows; {@code down} is set once, on a terminal state. */
  private static final class Watched {
    final JobClient job;
    final boolean blocksUploads;
    volatile String state = "running";
    volatile boolean down;

    Watched(JobClient job, boolean blocksUploads) {
      this.job = job;
      this.blocksUploads = blocksUploads;
    }
  }

  private final Map<String, Watched> jobs = new LinkedHashMap<>();
  /** Jobs this process does not run now, with why (a standby labeling job); shown, never unhealthy. */
  private final Map<String, String> notRunHere = new LinkedHashMap<>();
  private final ScheduledExecutorService poller;
  private volatile boolean closing;

  PlatformHealth() {
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ledgerlake-health");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(this::poll, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Watches {@code job}; when {@code blocksUploads}, uploads are refused while it is down. */
  synchronized void watch(String name, JobClient job, boolean blocksUploads) {
    jobs.put(requireNonNull(name, "name"), new Watched(requireNonNull(job, "job"), blocksUploads));
    notRunHere.remove(name);
  }

  /** {@code name} does not run in this process now ({@code state} says why): no longer watched, not a failure. */
  synchronized void standby(String name, String state) {
    jobs.remove(requireNonNull(name, "name"));
    notRunHere.put(name, requireNonNull(state, "state"));
  }

  /** From now on the jobs stop on purpose: not reported as failures. */
  void stopping() {
    closing = true;
  }

  /** One round: asks each job for its status; public to the package so tests need not wait for the timer. */
  void poll() {
    if (closing) {
      return;
    }
    for (Map.Entry<String, Watched> entry : snapshot().entrySet()) {
      Watched w = entry.getValue();
      if (w.down) {
        continue;
      }
      JobStatus status;
      try {
        status = w.job.getJobStatus().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (closing) {
          return;
        }
        w.state = "unknown: " + cut(String.valueOf(e.getMessage()));
        LOG.warn("Cannot read the status of the {} job", entry.getKey(), e);
        continue;
      }
      if (closing) {
        return;
      }
      if (status.isGloballyTerminalState() || status == JobStatus.CANCELLING || status == JobStatus.SUSPENDED) {
        w.down = true;
        String cause = cause(w.job); // waits for the terminal state, so the status read next is final
        w.state = finalStatus(w.job, status).name().toLowerCase(java.util.Locale.ROOT) + ": " + cause;
        LOG.error("The {} job is not running ({}); {}. Restart `ledgerlake up` after fixing the cause "
            + "(its last checkpoint is resumed; acknowledged uploads are kept in the submission log)",
            entry.getKey(), w.state, w.blocksUploads ? "uploads are refused with 503 until then" : "uploads are still accepted");
      } else {
        w.state = status == JobStatus.RUNNING ? "running" : status.name().toLowerCase(java.util.Locale.ROOT);
      }
    }
  }

  private static JobStatus finalStatus(JobClient job, JobStatus last) {
    try {
      return job.getJobStatus().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return last;
    }
  }

  private static String cause(JobClient job) {
    try {
      job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
      return "finished";
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return cut(root.getClass().getSimpleName() + ": " + root.getMessage());
    }
  }

  /** Causes go into a log line and a JSON field: one line, bounded. */
  private static String cut(String text) {
    String line = text.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= 300 ? line : line.substring(0, 299) + "…";
  }

  private synchronized Map<String, Watched> snapshot() {
    return new LinkedHashMap<>(jobs);
  }

  @Override
  public Optional<String> uploadsBlocked() {
    for (Map.Entry<String, Watched> entry : snapshot().entrySet()) {
      Watched w = entry.getValue();
      if (w.down && w.blocksUploads) {
        return Optional.of("The " + entry.getKey() + " job is not running (" + w.state
            + "), so this upload would not be ingested; nothing was stored. Retry after the operator restarts "
            + "`ledgerlake up` (GET /health shows the state)");
      }
    }
    return Optional.empty();
  }

  @Override
  public Map<String, String> components() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("upload-api", "running");
    snapshot().forEach((name, w) -> out.put(name + "-job", w.state));
    synchronized (this) {
      notRunHere.forEach((name, state) -> out.put(name + "-job", state));
    }
    return out;
  }

  /** Whether the watched job {@code name} has ended. */
  boolean isDown(String name) {
    Watched w = snapshot().get(name);
    return w != null && w.down;
  }

  @Override
  public boolean healthy() {
    return snapshot().values().stream().noneMatch(w -> w.down);
  }

  /** The status source, saying why a submission that waits to be ingested is not making progress. */
  SubmissionStatusSource explaining(SubmissionStatusSource delegate) {
    return submissionId -> {
      Optional<SubmissionProgress> progress = delegate.progress(submissionId);
      Optional<String> blocked = uploadsBlocked();
      if (blocked.isEmpty() || progress.map(p -> p.state() != SubmissionState.RECEIVED).orElse(false)) {
        return progress;
      }
      SubmissionProgress waiting = progress.orElse(SubmissionProgress.received());
      return Optional.of(new SubmissionProgress(waiting.state(), waiting.accepted(), waiting.rejected(),
          waiting.duplicates(), waiting.rejectionSample(),
          "Not ingested yet: the ingestion job is not running; it is ingested once `ledgerlake up` runs again"));
    };
  }

  @Override
  public void close() {
    closing = true;
    poller.shutdownNow();
  }
}
