package io.ledgerlake.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console end to end in a real headless Chromium (Debian's {@code chromium}, driven by playwright-core from
 * console/web's npm packages with the system browser's path; no browser download), against {@code ledgerlake up} on
 * the demo's data: sign in with a development key, create a dataset, upload a file with a bad line (the rejection
 * with its line), see the records labeled by the streaming labeling job and a {@code <script>} record rendered as
 * text, the lineage graph of the demo's published version, the version's quality report, a contributor's earnings
 * after the demo's licence sales, the reconciliation results; a private dataset is neither listed nor readable for
 * another address; no horizontal scrolling at phone width; axe-core finds no serious or critical violation on any
 * page. Screenshots of each page are kept in {@code cli/target/console-e2e}. The script is
 * console/web/e2e/console.e2e.mjs. Skipped, with the reason, where Chromium cannot be installed.
 */
class ConsoleBrowserITCase {
  static final Path WEB = Path.of("..", "console", "web").toAbsolutePath().normalize();
  static final Path ARTIFACTS = Path.of("target", "console-e2e").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void theConsoleInARealBrowser() throws Exception {
    Path chromium = chromium();
    if (!Files.isDirectory(WEB.resolve("node_modules").resolve("playwright-core"))) {
      abort("console/web/node_modules has no playwright-core: the console/web module's build installs it (npm ci)");
    }
    Path data = dir.resolve("data");
    CliRun demo = CliRun.run(data, "demo", "--records", "30");
    assertThat(demo.code()).as("demo:%n%s%n%s", demo.out(), demo.err()).isZero();
    String dataset = demo.demoDataset();
    scala.Option<org.apache.spark.sql.SparkSession> spark = org.apache.spark.sql.SparkSession.getDefaultSession();
    if (spark.isDefined()) {
      spark.get().stop();
    }
    try (UpProcess up = UpProcess.start(data, dir.resolve("up.log"), Map.of())) {
      Files.createDirectories(ARTIFACTS);
      Process node = new ProcessBuilder(List.of("node", "e2e/console.e2e.mjs", "--base", up.api().toString(),
          "--chromium", chromium.toString(), "--out", ARTIFACTS.toString(), "--dataset", dataset))
          .directory(WEB.toFile()).redirectErrorStream(true).start();
      String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(node.waitFor(10, TimeUnit.MINUTES)).isTrue();
      String last = out.strip().lines().reduce((a, b) -> b).orElse("");
      assertThat(node.exitValue()).as("the browser test:%n%s%nup's log:%n%s", out, tail(up.log())).isZero();
      JsonNode result = new ObjectMapper().readTree(last);
      assertThat(result.path("steps").toString()).contains("all");
      assertThat(result.path("axe").size()).as("pages checked by axe").isGreaterThanOrEqualTo(7);
      result.path("axe").forEach(page -> assertThat(page.path("serious")).isEmpty());
      assertThat(result.path("measurements").path("fcpConsoleMs").asDouble()).isPositive();
      try (var shots = Files.list(ARTIFACTS)) {
        assertThat(shots.filter(p -> p.toString().endsWith(".png")).count()).isGreaterThanOrEqualTo(9);
      }
    }
  }

  private static String tail(Path log) throws Exception {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** The system's Chromium: installed with apt-get when missing and possible, else the test is skipped. */
  static Path chromium() throws Exception {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    if (Files.isExecutable(Path.of("/usr/bin/apt-get")) && "root".equals(System.getProperty("user.name"))) {
      Process apt = new ProcessBuilder("apt-get", "install", "-y", "-q", "chromium").redirectErrorStream(true)
          .redirectOutput(Path.of("target", "apt-chromium.log").toFile()).start();
      if (apt.waitFor(10, TimeUnit.MINUTES) && apt.exitValue() == 0 && Files.isExecutable(Path.of("/usr/bin/chromium"))) {
        return Path.of("/usr/bin/chromium");
      }
    }
    abort("no Chromium here and apt-get install chromium was not possible (see cli/target/apt-chromium.log): the "
        + "browser test needs Debian's chromium");
    return null;
  }
}
