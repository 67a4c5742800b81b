package io.ledgerlake.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.cli.LedgerLake;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.jobs.schedule.SchedulerOptions;
import io.ledgerlake.sqlserver.SqlServiceOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ledgerlake up} as a child JVM for a test: free ports, no SQL service or scheduler unless asked, output in a
 * log file; {@link #api()} is the upload API's address once it printed it.
 */
record UpProcess(Process process, Path log, URI api) implements AutoCloseable {
  private static final Pattern API = Pattern.compile("Upload API:\\s+(http://\\S+)");

  static UpProcess start(Path dataDir, Path log, Map<String, String> settings) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Spark and Flink need the same --add-opens as this JVM.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(x -> x.startsWith("--add-opens") || x.startsWith("--add-exports")).forEach(command::add);
    command.addAll(List.of("-Xmx1536m", "-cp", System.getProperty("java.class.path"), LedgerLake.class.getName(),
        "up", "--data-dir", dataDir.toString(),
        "-D", IngestionOptions.HTTP_PORT + "=0",
        "-D", ContentOptions.GATEWAY_PORT + "=0",
        "-D", SqlServiceOptions.ENABLED + "=false",
        "-D", SchedulerOptions.ENABLED + "=false"));
    settings.forEach((k, v) -> command.addAll(List.of("-D", k + "=" + v)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = API.matcher(Files.readString(log));
      if (m.find()) {
        return new UpProcess(process, log, URI.create(m.group(1)));
      }
      assertThat(process.isAlive()).as("up exited:%n%s", Files.readString(log)).isTrue();
      Thread.sleep(500);
    }
    process.destroyForcibly();
    throw new AssertionError("up did not start in 180 s:\n" + Files.readString(log));
  }

  /** SIGTERM (up stops its services and jobs), then SIGKILL if it has not exited after a minute. */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
