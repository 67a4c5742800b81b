package io.ledgerlake.platform.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.common.config.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code ledgerlake up} runs its Flink jobs: in embedded MiniClusters (the default), or, with {@link
 * #CLUSTER_URL}, on a Flink session cluster reached through its REST API, submitting the slim job jars of
 * infra/flink-jobs. See docs/operations.md and docs/decisions/flink-session-cluster.md.
 *
 * @param clusterUrl the REST endpoint of the JobManager ({@code http://host:8081}), empty for embedded
 * @param jobJarDir where {@code ledgerlake-ingestion-job.jar} and {@code ledgerlake-labeling-job.jar} are
 */
public record FlinkClusterOptions(Optional<URI> clusterUrl, Path jobJarDir) {
  public static final String PREFIX = "ledgerlake.flink.";

  /** REST URL of a Flink session cluster; unset (the default) runs the jobs in embedded MiniClusters. */
  public static final String CLUSTER_URL = PREFIX + "cluster-url";

  /**
   * Folder holding both job jars. The default is the build's own output: the {@code infra/flink-jobs} folder of the
   * checkout the CLI runs from (each jar in its module's {@code target/}).
   */
  public static final String JOB_JAR_DIR = PREFIX + "job-jar-dir";

  public static final String INGESTION_JAR = "ledgerlake-ingestion-job.jar";
  public static final String LABELING_JAR = "ledgerlake-labeling-job.jar";

  public FlinkClusterOptions {
    requireNonNull(clusterUrl, "clusterUrl");
    requireNonNull(jobJarDir, "jobJarDir");
  }

  public static FlinkClusterOptions from(Settings settings) {
    Optional<URI> url = settings.find(CLUSTER_URL).map(FlinkClusterOptions::parseUrl);
    Path jars = settings.find(JOB_JAR_DIR).map(Path::of).orElseGet(FlinkClusterOptions::defaultJobJarDir);
    return new FlinkClusterOptions(url, jars.toAbsolutePath().normalize());
  }

  /** With a cluster URL, the rest as defaults; for tests and embedding. */
  public static FlinkClusterOptions of(URI clusterUrl) {
    return new FlinkClusterOptions(Optional.of(parseUrl(clusterUrl.toString())), defaultJobJarDir());
  }

  public boolean onCluster() {
    return clusterUrl.isPresent();
  }

  /** The ingestion job's jar; an error saying how to build it when missing. */
  public Path ingestionJar() {
    return jar("ingestion", INGESTION_JAR);
  }

  /** The labeling job's jar; an error saying how to build it when missing. */
  public Path labelingJar() {
    return jar("labeling", LABELING_JAR);
  }

  private Path jar(String module, String name) {
    // Either the flat folder an operator copied the jars to, or the build's infra/flink-jobs/<module>/target.
    for (Path candidate : new Path[] {jobJarDir.resolve(name), jobJarDir.resolve(module).resolve("target").resolve(name)}) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new FlinkClusterException(0, ErrorCategory.USER_ERROR, String.format(
        "the Flink job jar %s is not in %s (%s); build it with "
            + "'./mvnw -pl infra/flink-jobs/%s -am package -DskipTests' or point %s at the folder that holds it",
        name, jobJarDir, JOB_JAR_DIR, module, JOB_JAR_DIR), null);
  }

  private static URI parseUrl(String value) {
    try {
      URI uri = URI.create(value.trim().replaceAll("/+$", ""));
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException("not an http(s) URL with a host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new FlinkClusterException(0, ErrorCategory.USER_ERROR, String.format(
          "%s=%s is not a Flink REST URL (%s); give the JobManager's REST address, e.g. http://127.0.0.1:8081",
          CLUSTER_URL, value, e.getMessage()), e);
    }
  }

  /** infra/flink-jobs of the checkout whose classes (cli/target/classes or cli/target/ledgerlake-cli.jar) run. */
  static Path defaultJobJarDir() {
    try {
      Path here = Path.of(FlinkClusterOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = here; p != null; p = p.getParent()) {
        if (Files.isDirectory(p.resolve("infra").resolve("flink-jobs"))) {
          return p.resolve("infra").resolve("flink-jobs");
        }
      }
    } catch (Exception e) { // no code source (an unusual class loader): fall through to the working directory
    }
    return Path.of("infra", "flink-jobs");
  }
}
