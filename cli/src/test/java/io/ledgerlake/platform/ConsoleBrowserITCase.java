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
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserITCase {
  static final Path WEB = Path.of("..", "console", "web").toAbsolutePath().normalize();
  static final Path ARTIFACTS = Path.of("target", "console-e2e").toAbsolutePath();
  /** The demo's contributors' keys (anvil's public development accounts 1-3; Demo.DEV_KEYS). */
  static final List<String> DEMO_KEYS = List.of(
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a74e2d1d6e4b",
      "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
  static final ObjectMapper JSON = new ObjectMapper();
  static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  @TempDir static Path dir;
  String dataset;
  UpProcess up;

  @org.junit.jupiter.api.BeforeAll
  void demoAndUp() throws Exception {
    Path data = dir.resolve("data");
    CliRun demo = CliRun.run(data, "demo", "--records", "30");
    assertThat(demo.code()).as("demo:%n%s%n%s", demo.out(), demo.err()).isZero();
    dataset = demo.demoDataset();
    scala.Option<org.apache.spark.sql.SparkSession> spark = org.apache.spark.sql.SparkSession.getDefaultSession();
    if (spark.isDefined()) {
      spark.get().stop();
    }
    up = UpProcess.start(data, dir.resolve("up.log"), Map.of());
  }

  @org.junit.jupiter.api.AfterAll
  void stopUp() throws Exception {
    if (up != null) {
      up.close();
    }
  }

  @Test
  void theConsoleInARealBrowser() throws Exception {
    Path chromium = chromium();
    if (!Files.isDirectory(WEB.resolve("node_modules").resolve("playwright-core"))) {
      abort("console/web/node_modules has no playwright-core: the console/web module's build installs it (npm ci)");
    }
    Files.createDirectories(ARTIFACTS);
    Process node = new ProcessBuilder(List.of("node", "e2e/console.e2e.mjs", "--base", up.api().toString(),
        "--chromium", chromium.toString(), "--out", ARTIFACTS.toString(), "--dataset", dataset))
        .directory(WEB.toFile()).redirectErrorStream(true).start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(node.exitValue()).as("the browser test:%n%s%nup's log:%n%s", out, tail(up.log())).isZero();
    JsonNode result = JSON.readTree(last);
    assertThat(result.path("steps").toString()).contains("all");
    assertThat(result.path("axe").size()).as("pages checked by axe").isGreaterThanOrEqualTo(7);
    result.path("axe").forEach(page -> assertThat(page.path("serious")).isEmpty());
    assertThat(result.path("measurements").path("fcpConsoleMs").asDouble()).isPositive();
    try (var shots = Files.list(ARTIFACTS)) {
      assertThat(shots.filter(p -> p.toString().endsWith(".png")).count()).isGreaterThanOrEqualTo(9);
    }
  }

  /**
   * The read endpoints' visibility rules, through HTTP: a private dataset's versions, records and lineage are a 404
   * for a stranger and served to its owner; a usage share's queries only to the earner.
   */
  @Test
  void privateDataAndQueriesAreOnlyShownToThoseAllowed() throws Exception {
    var anonymous = new io.ledgerlake.ingestion.client.IngestionClient(up.api(), java.util.Optional.empty());
    var ownerKey = io.ledgerlake.ingestion.auth.DevKeyFile.generate(dir.resolve("owner.json"));
    var strangerKey = io.ledgerlake.ingestion.auth.DevKeyFile.generate(dir.resolve("stranger.json"));
    var owner = anonymous.withToken(anonymous.login(ownerKey));
    String stranger = anonymous.login(strangerKey);
    String id = owner.createDataset(JSON.createObjectNode().put("name", "secret").put("format", "jsonl")
        .put("visibility", "private").set("submitters", JSON.createObjectNode().put("mode", "allowlist")));
    Path file = Files.writeString(dir.resolve("secret.jsonl"), "{\"text\":\"a private record of the owner\"}\n");
    var uploaded = owner.upload(id, file, null, n -> { });
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!owner.status(uploaded.submissionId()).path("status").asText().equals("ingested")) {
      assertThat(System.nanoTime()).as("ingested in time").isLessThan(deadline);
      Thread.sleep(300);
    }
    String ownerToken = login(ownerKey);
    for (String path : List.of("/v1/datasets/" + id + "/versions", "/v1/datasets/" + id + "/records",
        "/v1/lineage?node=submission:" + uploaded.cid())) {
      assertThat(get(path, stranger).statusCode()).as("%s for a stranger", path).isEqualTo(404);
      assertThat(get(path, null).statusCode()).as("%s without a token", path).isEqualTo(404);
      assertThat(get(path, ownerToken).statusCode()).as("%s for the owner", path).isEqualTo(200);
    }
    assertThat(get("/v1/datasets/" + id + "/records", ownerToken).body()).contains("a private record of the owner");
    assertThat(get("/v1/datasets", stranger).body()).doesNotContain(id);
    assertThat(get("/v1/datasets", ownerToken).body()).contains(id);

    // the demo's contributor whose records answered the demo's paid queries
    String earnerKey = null;
    String earner = null;
    for (String key : DEMO_KEYS) {
      Path keyFile = dir.resolve("demo-" + DEMO_KEYS.indexOf(key) + ".json");
      Files.writeString(keyFile, "{\"version\":" + io.ledgerlake.ingestion.auth.DevKeyFile.VERSION
          + ",\"privateKey\":\"" + key + "\"}\n");
      String address = io.ledgerlake.ingestion.auth.DevKeyFile.load(keyFile).address();
      JsonNode e = JSON.readTree(get("/v1/earnings/" + address, null).body());
      if (e.path("usage").size() > 0) {
        earnerKey = keyFile.toString();
        earner = address;
        assertThat(e.path("explained").asBoolean()).isFalse();
        e.path("usage").forEach(u -> assertThat(u.has("uses")).as("queries hidden from others").isFalse());
        break;
      }
    }
    assertThat(earner).as("a demo contributor with usage earnings").isNotNull();
    String earnerToken = login(io.ledgerlake.ingestion.auth.DevKeyFile.load(Path.of(earnerKey)));
    JsonNode mine = JSON.readTree(get("/v1/earnings/" + earner, earnerToken).body());
    assertThat(mine.path("explained").asBoolean()).isTrue();
    assertThat(mine.path("usage").get(0).path("uses")).as("the earner sees the queries").isNotEmpty();
    JsonNode forStranger = JSON.readTree(get("/v1/earnings/" + earner, stranger).body());
    assertThat(forStranger.path("totalWei").asText()).isEqualTo(mine.path("totalWei").asText());
    assertThat(forStranger.path("usage").get(0).has("uses")).isFalse();
  }

  /** The static console: its own files only, with the content security policy; pages of the app fall back to it. */
  @Test
  void theConsoleIsServedFromItsOwnFilesOnly() throws Exception {
    var root = get("/", null);
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/console/");
    var js = get("/console/app.js", null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(js.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(js.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(get("/console/datasets/ds-anything", null).body()).contains("<script type=\"module\" src=\"/console/app.js\">");
    for (String bad : List.of("/console/%2e%2e/pom.xml", "/console/..%2fpom.xml", "/console/missing.js",
        "/console/.%2e/.%2e/etc/passwd")) {
      // refused: 400 where the HTTP server rejects an encoded dot segment itself, 404 from the console's own check
      assertThat(get(bad, null).statusCode()).as(bad).isIn(400, 404);
    }
  }

  private String login(io.ledgerlake.ingestion.auth.DevKeyFile key) {
    return new io.ledgerlake.ingestion.client.IngestionClient(up.api(), java.util.Optional.empty()).login(key);
  }

  private java.net.http.HttpResponse<String> get(String path, String token) throws Exception {
    var request = java.net.http.HttpRequest.newBuilder(up.api().resolve(path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
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
