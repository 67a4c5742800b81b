package io.ledgerlake.cli.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs infra/local-cluster/local-cluster.sh for a test or benchmark: one state directory per caller, the CLI's
 * runtime jars ({@code cli/target/lib}, copied by the package phase) as the cluster's jars, bounded in time. Returns
 * what the script printed, prefixed with its exit status, for the caller's skip or failure message.
 */
public final class LocalClusterScript {
  private final Path script;
  private final Path state;
  private final Path lib;

  private LocalClusterScript(Path repo, Path state) {
    this.script = repo.resolve("infra").resolve("local-cluster").resolve("local-cluster.sh");
    this.state = state.toAbsolutePath();
    this.lib = repo.resolve("cli").resolve("target").resolve("lib");
  }

  /** The script of the repository {@code repo} on the state directory {@code state}. */
  public static LocalClusterScript of(Path repo, Path state) {
    return new LocalClusterScript(repo.toAbsolutePath().normalize(), state);
  }

  /** From a test of the cli module (working directory cli/). */
  public static LocalClusterScript fromCliModule(Path state) {
    return of(Path.of(".."), state);
  }

  public Path state() {
    return state;
  }

  /**
   * Stops what an earlier (perhaps killed) run left and empties the state directory: a fresh catalog database and
   * Kafka log, so nothing of an earlier run is read again by this one.
   */
  public void downAndWipe() throws IOException, InterruptedException {
    run("down");
    if (Files.exists(state)) {
      try (var paths = Files.walk(state)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          if (!p.equals(state)) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    Files.createDirectories(state);
  }

  /** {@code local-cluster.sh ACTION --state-dir STATE --lib LIB EXTRA...}: "exit N:" and its output. */
  public String run(String action, String... extra) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", script.toString(), action, "--state-dir", state.toString(),
        "--lib", lib.toString()));
    command.addAll(List.of(extra));
    Files.createDirectories(state);
    Path log = Files.createTempFile(state.getParent(), "local-cluster-" + action + "-", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(6, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        return "timed out after 6 minutes:\n" + Files.readString(log, StandardCharsets.UTF_8);
      }
      return "exit " + p.exitValue() + ":\n" + Files.readString(log, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
