package io.ledgerlake.content.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the node scripts of a module's src/test/js folder (dependencies installed by the Maven build). The static
 * methods are this module's folder; other modules (rag) get theirs with {@link #of} through this module's test-jar,
 * so the way node is run, timed out and reported stays in one place.
 */
public final class NodeScripts {
  private static final NodeScripts CONTENT = of("ledgerlake.content.js.dir", "lakehouse/content/src/test/js");

  private final String property;
  private final String fromRoot;

  private NodeScripts(String property, String fromRoot) {
    this.property = property;
    this.fromRoot = fromRoot;
  }

  /**
   * The scripts folder named by system property {@code property} (failsafe sets it), else src/test/js of the module
   * the tests run in, else {@code fromRoot} relative to the repository root.
   */
  public static NodeScripts of(String property, String fromRoot) {
    return new NodeScripts(property, fromRoot);
  }

  /** This module's scripts folder. */
  public static Path dir() {
    return CONTENT.directory();
  }

  /** Runs {@code node script args...} in this module's scripts folder; see {@link #exec}. */
  public static String run(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
    return CONTENT.exec(timeoutSeconds, script, args);
  }

  /** Whether a {@code node} executable is on the PATH (tests skip, rather than fail, without one). */
  public static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public Path directory() {
    String configured = System.getProperty(property);
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    for (String candidate : new String[] {"src/test/js", fromRoot}) {
      Path p = Path.of(candidate).toAbsolutePath();
      if (Files.exists(p.resolve("package.json")) && p.endsWith(Path.of(fromRoot))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find " + fromRoot + "; set -D" + property);
  }

  /** Runs {@code node script args...}; returns stdout, failing with stderr if the exit code is not 0. */
  public String exec(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("node");
    cmd.add(script);
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("node-stderr", ".txt");
    Path out = Files.createTempFile("node-stdout", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).directory(directory().toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("node " + script + " timed out after " + timeoutSeconds + " s; stderr:\n"
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("node " + script + " exited " + p.exitValue() + "; stderr:\n"
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(err);
      Files.deleteIfExists(out);
    }
  }
}
