package io.ledgerlake.platform.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.AtomicFiles;
import io.ledgerlake.lakehouse.flink.FlinkJobs;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits LedgerLake's Flink jobs to a session cluster the way {@code flink run} would, through the REST API: upload
 * the slim job jar, run its main with {@code --config FILE}, drop the uploaded copy. Each job keeps its checkpoints
 * in its own folder of the data directory (as the embedded jobs do), retained on cancel, and is resumed from the
 * newest one on the next start; so the data directory must be one every JobManager and TaskManager sees (on one
 * machine any local path; across machines shared storage).
 */
public final class SessionClusterJobs {
  private static final Logger LOG = LoggerFactory.getLogger(SessionClusterJobs.class);

  private final FlinkRestClient rest;
  private final Path configFile;

  private SessionClusterJobs(FlinkRestClient rest, Path configFile) {
    this.rest = rest;
    this.configFile = configFile;
  }

  /**
   * Connects to the cluster (failing with a clear message when it does not answer) and writes the settings the jobs'
   * mains read to {@code stateDir/job.properties} (mode 600: it may hold the catalog's password).
   */
  public static SessionClusterJobs connect(FlinkClusterOptions options, Path stateDir, Map<String, String> jobSettings) {
    FlinkRestClient rest = new FlinkRestClient(options.clusterUrl().orElseThrow(
        () -> new IllegalArgumentException(FlinkClusterOptions.CLUSTER_URL + " is not set")));
    String version = rest.flinkVersion();
    LOG.info("Flink session cluster {} (Flink {})", rest.baseUri(), version);
    Path file = stateDir.resolve("job.properties");
    try {
      Files.createDirectories(stateDir);
      // owner-only before the file exists: the temporary file of the atomic write is created with the umask
      Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
      Properties props = new Properties();
      props.putAll(new TreeMap<>(jobSettings));
      StringWriter text = new StringWriter();
      props.store(text, "Written by ledgerlake up for its jobs on " + rest.baseUri() + "; rewritten at each start");
      AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the jobs' settings to " + file, e);
    }
    return new SessionClusterJobs(rest, file);
  }

  public FlinkRestClient rest() {
    return rest;
  }

  /**
   * Uploads {@code jar}, runs {@code mainClass} with {@code --config job.properties}, checkpoints retained under
   * {@code checkpointDir}, restarts bounded, resuming from {@code restoreFrom}.
   */
  public JobClient submit(Path jar, String mainClass, Path checkpointDir, Optional<Path> restoreFrom,
      int restartAttempts, Duration restartDelay) {
    requireNonNull(jar, "jar");
    // The embedded jobs' checkpoint and restart settings, as the job's own configuration on the cluster.
    Map<String, String> conf = FlinkJobs.configuration(restartAttempts, restartDelay, checkpointDir, Optional.empty())
        .toMap();
    String jarId = rest.upload(jar);
    JobID job;
    try {
      job = rest.run(jarId, new FlinkRestClient.RunRequest(mainClass, List.of("--config", configFile.toString()),
          restoreFrom, conf));
    } finally {
      try {
        rest.deleteJar(jarId);
      } catch (RuntimeException e) {
        LOG.warn("Could not delete the uploaded jar {} from the cluster", jarId, e);
      }
    }
    LOG.info("Submitted {} as job {} to {} ({}; checkpoints in {})", mainClass, job, rest.baseUri(),
        restoreFrom.map(p -> "resuming from " + p).orElse("fresh start"), checkpointDir);
    return new ClusterJobClient(rest, job);
  }
}
