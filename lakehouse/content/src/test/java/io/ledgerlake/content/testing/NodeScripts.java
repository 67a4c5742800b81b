package io.ledgerlake.content.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the node scripts under src/test/js (dependencies installed by the Maven build). */
public final class NodeScripts {
  private NodeScripts() {}

  /** The scripts folder: from the failsafe system property, else relative to the module or the repository root. */
  public static Path dir() {
    String configured = System.getProperty("ledgerlake.content.js.dir");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    for (String candidate : new String[] {"src/test/js", "lakehouse/content/src/test/js"}) {
      Path p = Path.of(candidate).toAbsolutePath();
      if (Files.exists(p.resolve("package.json"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find lakehouse/content/src/test/js; set -Dledgerlake.content.js.dir");
  }

  /** Runs {@code node script args...}; returns stdout, failing with stderr if the exit code is not 0. */
  public static String run(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("node");
    cmd.add(script);
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("node-stderr", ".txt");
    Path out = Files.createTempFile("node-stdout", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).directory(dir().toFile())
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
