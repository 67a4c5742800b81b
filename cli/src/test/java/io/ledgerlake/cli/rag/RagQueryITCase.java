package io.ledgerlake.cli.rag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.cli.CliRun;
import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.ingest.IngestSettings;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.platform.LedgerLakePlatform;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.LocalChain;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.provenance.model.LicenseTerms;
import io.ledgerlake.rag.RagOptions;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The licence-gated, metered APIs through the real upload API of {@code up}: RAG queries ({@code POST /v1/rag/query})
 * on the demo's published index (asset 3, derived from ds-demo0001-v1) and model calls ({@code POST
 * /v1/models/predict}) on its published model (asset 2), with licences bought on a real anvil chain by fresh
 * accounts, and attribution.usage and attribution.model_calls read back from the Iceberg tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RagQueryITCase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String INDEX_ASSET = "3";
  static final long DATASET_ASSET = 1;
  static final long MODEL_ASSET = 2;
  static final BigInteger PRICE = new BigInteger("1000000000000000"); // 0.001 ETH

  Path dir;
  LocalChain.Running chainRuntime;
  ProvenanceClient owner;
  LedgerLakePlatform platform;
  final HttpClient http = HttpClient.newHttpClient();
  final Map<String, DevKeyFile> keys = new HashMap<>();
  final Map<String, String> tokens = new HashMap<>();

  CliRun ok(String... args) {
    CliRun r = CliRun.run(dir.resolve("data"), args);
    assertThat(r.code()).as("%s%n%s%n%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  Settings settings() {
    // Licence checks uncached: each test sees the chain as it is now.
    return Settings.of(Map.of(LakehouseOptions.DATA_DIR, dir.resolve("data").toString(),
        RagOptions.LICENCE_CACHE_MS, "0", IngestionOptions.HTTP_PORT, "0"));
  }

  LedgerLakePlatform startPlatform() throws Exception {
    Settings s = settings();
    return LedgerLakePlatform.start(new LedgerLakePlatform.Config(LakehouseOptions.from(s),
        ContentSettings.options(s).withGatewayPort(0), true, IngestSettings.ingestion(s), IngestSettings.job(s),
        Duration.ofSeconds(5), null, new LedgerLakePlatform.Rag(owner, RagOptions.from(s),
        io.ledgerlake.lakehouse.spark.SparkOptions.from(s))));
  }

  @BeforeAll
  void demoAndAccounts() throws Exception {
    dir = Files.createTempDirectory("rag-query");
    // The SparkContext is JVM-wide and keeps the spark.local.dir of the first data directory (see
    // IndexReconcileITCase): start from a fresh one.
    scala.Option<org.apache.spark.sql.SparkSession> spark = org.apache.spark.sql.SparkSession.getDefaultSession();
    if (spark.isDefined()) {
      spark.get().stop();
    }
    ok("chain", "up");
    assertThat(ok("demo", "--records", "30").out()).contains("Registered index").contains("as asset 3 version 3");
    var options = ChainSettings.options(settings());
    chainRuntime = LocalChain.running(options).orElseThrow();
    owner = ChainSettings.client(settings(), false);
    // The asset owner offers every kind on the index (the demo offered API calls already).
    owner.setLicenseTerms(3, LicenseTerms.offered(LicenseKind.FULL_ACCESS, PRICE, Duration.ZERO, ""));
    owner.setLicenseTerms(3, LicenseTerms.offered(LicenseKind.LONG_TERM, PRICE, Duration.ofHours(1), ""));
    owner.setLicenseTerms(3, LicenseTerms.offered(LicenseKind.PARTNERSHIP, PRICE, Duration.ZERO, ""));
    owner.setLicenseTerms(DATASET_ASSET, LicenseTerms.offered(LicenseKind.LONG_TERM, PRICE, Duration.ofDays(30), ""));
    for (String who : List.of("nobody", "full", "longterm", "partner", "api", "apizero", "datasetholder",
        "modelapi")) {
      DevKeyFile key = DevKeyFile.generate(dir.resolve(who + ".json"));
      keys.put(who, key);
      rpc("anvil_setBalance", key.address(), "0x56BC75E2D63100000"); // 100 ETH
    }
    buyer("full").buyLicense(3, LicenseKind.FULL_ACCESS, BigInteger.ZERO, null);
    buyer("longterm").buyLicense(3, LicenseKind.LONG_TERM, BigInteger.ZERO, null);
    buyer("partner").buyLicense(3, LicenseKind.PARTNERSHIP, BigInteger.ZERO, "");
    owner.approvePartnership(3, keys.get("partner").address());
    buyer("api").buyLicense(3, LicenseKind.API, PRICE.multiply(BigInteger.valueOf(100)), null);
    ProvenanceClient zero = buyer("apizero");
    zero.buyLicense(3, LicenseKind.API, PRICE, null);
    zero.withdrawApiBalance(3, PRICE);
    buyer("datasetholder").buyLicense(DATASET_ASSET, LicenseKind.LONG_TERM, BigInteger.ZERO, null);
    // The demo offered API calls on its model (asset 2) at 0.0001 ETH.
    buyer("modelapi").buyLicense(MODEL_ASSET, LicenseKind.API, PRICE.multiply(BigInteger.valueOf(10)), null);

    platform = startPlatform();
    IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
    keys.forEach((who, key) -> tokens.put(who, anon.login(key)));
  }

  ProvenanceClient buyer(String who) {
    String hex = org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(keys.get(who).keyPair().getPrivateKey(), 64);
    return ProvenanceClient.connect(LocalChain.clientOptions(ChainSettings.options(settings()), chainRuntime),
        chainRuntime.deployment(), hex);
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    if (owner != null) {
      owner.close();
    }
    CliRun.run(dir.resolve("data"), "chain", "down");
  }

  JsonNode rpc(String method, Object... params) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
    var array = body.putArray("params");
    for (Object p : params) {
      if (p instanceof Number n) {
        array.add(n.longValue());
      } else {
        array.add(String.valueOf(p));
      }
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(chainRuntime.rpcUrl()))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode out = JSON.readTree(r.body());
    assertThat(out.has("error")).as(r.body()).isFalse();
    return out;
  }

  record Answer(int status, JsonNode body) {}

  Answer query(String who, ObjectNode request) throws Exception {
    return post(who, request.toString());
  }

  Answer post(String who, String body) throws Exception {
    return post("/v1/rag/query", who, body);
  }

  Answer post(String path, String who, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(platform.apiUri().resolve(path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (who != null) {
      b.header("Authorization", "Bearer " + tokens.get(who));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
  }

  static ObjectNode ask(String asset, String question, int k) {
    return JSON.createObjectNode().put("asset", asset).put("query", question).put("k", k);
  }

  /**
   * attribution.usage once the platform's usage journal has been committed to it: answers are acknowledged after the
   * journal append and reach the table within about half a second (UsageLog.FLUSH_INTERVAL); two seconds is ample.
   */
  List<Record> usage() throws Exception {
    Thread.sleep(2_000);
    return usageNow();
  }

  List<Record> usageNow() throws Exception {
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()))) {
      Table table = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
      table.refresh();
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
        it.forEach(r -> rows.add(r.copy()));
      }
      return rows;
    }
  }

  @Test
  @Order(1)
  void eachAllowingLicenceKindIsAnsweredAndEveryOtherCallerRefused() throws Exception {
    int before = usageNow().size();
    Answer none = query("nobody", ask(INDEX_ASSET, "river levels", 3));
    assertThat(none.status()).isEqualTo(402);
    assertThat(none.body().path("code").asText()).isEqualTo("LICENCE_REQUIRED");
    assertThat(none.body().path("message").asText()).contains("no licence").contains("asset 3");
    Answer zero = query("apizero", ask(INDEX_ASSET, "river levels", 3));
    assertThat(zero.status()).as("an API licence with no balance left").isEqualTo(402);
    assertThat(usage()).as("refused queries record nothing").hasSize(before);

    Map<String, String> expectedKind = Map.of("full", "full", "longterm", "longterm", "partner", "partnership",
        "api", "api", "datasetholder", "longterm");
    for (var e : expectedKind.entrySet()) {
      Answer a = query(e.getKey(), ask(INDEX_ASSET, "bird counts at the station", 3));
      assertThat(a.status()).as("%s: %s", e.getKey(), a.body()).isEqualTo(200);
      assertThat(a.body().path("licence").path("kind").asText()).isEqualTo(e.getValue());
      assertThat(a.body().path("licence").path("asset").asText())
          .isEqualTo(e.getKey().equals("datasetholder") ? "1" : "3");
      assertThat(a.body().path("passages")).hasSize(3);
      JsonNode first = a.body().path("passages").get(0);
      assertThat(first.path("recordCid").asText()).startsWith("baf");
      assertThat(first.path("contributor").asText()).startsWith("0x");
      assertThat(first.path("text").asText()).doesNotContain("@example.org"); // PII-redacted text only
      assertThat(a.body().path("indexCid").asText()).startsWith("bafy");
      assertThat(a.body().path("version").asText()).isEqualTo("ds-demo0001-v1");
    }
    // The dataset asset names the same index (its newest); a licence on the dataset allows it.
    Answer viaDataset = query("datasetholder", ask("1", "solar output", 2));
    assertThat(viaDataset.status()).isEqualTo(200);
    assertThat(viaDataset.body().path("indexAsset").asText()).isEqualTo(INDEX_ASSET);
    assertThat(usage()).hasSize(before + expectedKind.size() * 3 + 2);

    // Expiry: an hour later the long-term licence on the index no longer allows queries.
    rpc("evm_increaseTime", 2 * 3600);
    rpc("evm_mine");
    assertThat(query("longterm", ask(INDEX_ASSET, "air quality", 3)).status()).isEqualTo(402);
    assertThat(query("full", ask(INDEX_ASSET, "air quality", 3)).status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void badInputIsAClearClientErrorAndRecordsNothing() throws Exception {
    int before = usage().size();
    assertThat(query("api", ask(INDEX_ASSET, "   ", 3)).status()).isEqualTo(400);
    assertThat(query("api", ask(INDEX_ASSET, "river", 0)).status()).isEqualTo(400);
    Answer huge = query("api", ask(INDEX_ASSET, "river", 1_000_000));
    assertThat(huge.status()).isEqualTo(400);
    assertThat(huge.body().path("message").asText()).contains("k must be between 1 and");
    assertThat(query("api", ask("999", "river", 3)).status()).isEqualTo(404);
    assertThat(query("api", ask("abc", "river", 3)).status()).isEqualTo(400);
    Answer otherVersion = query("api", ask(INDEX_ASSET, "river", 3).put("version", "ds-demo0001-v9"));
    assertThat(otherVersion.status()).isEqualTo(404);
    assertThat(otherVersion.body().path("message").asText()).contains("index of ds-demo0001-v1");
    assertThat(query("api", ask(INDEX_ASSET, "x".repeat(5_000), 3)).status()).isEqualTo(400);
    Answer megabyte = post("api", ask(INDEX_ASSET, "x".repeat(1 << 20), 3).toString());
    assertThat(megabyte.status()).isEqualTo(413);
    assertThat(post(null, ask(INDEX_ASSET, "river", 3).toString()).status()).isEqualTo(401);
    assertThat(post("api", "{not json").status()).isEqualTo(400);
    assertThat(usage()).hasSize(before);
  }

  @Test
  @Order(3)
  void concurrentQueriesAreRecordedExactlyOnceAcrossRetriesAndARestart() throws Exception {
    int n = 12;
    int k = 4;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("it-" + i + "-" + System.nanoTime());
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = ids.get(i);
        String question = "question " + i + " about river levels";
        answers.add(pool.submit(() -> query("api", ask(INDEX_ASSET, question, k).put("queryId", id))));
      }
      for (Future<Answer> a : answers) {
        assertThat(a.get().status()).as(a.get().body().toString()).isEqualTo(200);
        assertThat(a.get().body().path("recorded").asBoolean()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(rowsOf(ids)).hasSize(n * k);
    // One metered call per API-licence query: its rank-1 row.
    assertThat(rowsOf(ids).stream().filter(r -> r.getField("rank").equals(1)
        && r.getField("license_kind").equals("api"))).hasSize(n);

    // A retry with the same id (the client did not see the answer) is answered, not recorded again; the same id
    // with another question is refused.
    Answer retry = query("api", ask(INDEX_ASSET, "question 0 about river levels", k).put("queryId", ids.get(0)));
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body().path("recorded").asBoolean()).isFalse();
    assertThat(query("api", ask(INDEX_ASSET, "another question", k).put("queryId", ids.get(0))).status())
        .isEqualTo(409);

    // Restart: the recorded ids are read back from attribution.usage; every retry is answered once more and nothing
    // is doubled.
    platform.close();
    platform = startPlatform();
    IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
    tokens.put("api", anon.login(keys.get("api")));
    for (int i = 0; i < n; i++) {
      Answer again = query("api", ask(INDEX_ASSET, "question " + i + " about river levels", k).put("queryId", ids.get(i)));
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.body().path("recorded").asBoolean()).isFalse();
    }
    assertThat(rowsOf(ids)).hasSize(n * k);
    assertThat(rowsOf(ids).stream().map(r -> r.getField("query_id") + "#" + r.getField("rank")).distinct())
        .hasSize(n * k);
  }

  static ObjectNode call(long asset, List<String> inputs) {
    ObjectNode n = JSON.createObjectNode().put("asset", Long.toString(asset));
    inputs.forEach(n.putArray("inputs")::add);
    return n;
  }

  Answer callModel(String who, ObjectNode request) throws Exception {
    return post("/v1/models/predict", who, request.toString());
  }

  @Test
  @Order(4)
  void theModelAnswersAsBatchPredictionDoesOnlyForItsLicenseesAndEachCallIsMeteredOnce() throws Exception {
    // What the batch job predicts for records whose training text is their raw text (no PII redaction)...
    String modelId = ok("sql", "select model_id from ml.models", "--format", "csv").out().lines().skip(1)
        .findFirst().orElseThrow().strip();
    ok("predict", "--dataset", "ds-demo0001", "--model", modelId, "--version", "ds-demo0001-v1");
    List<JsonNode> expected = new ArrayList<>();
    for (String line : ok("sql", "select get_json_object(r.record_json, '$.text') as text, p.prediction,"
        + " p.probability from ml.predictions p join ingest.records r on r.record_cid = p.record_cid"
        + " where p.record_cid not in (select record_cid from label.labels where label_key = 'pii.redacted_text')"
        + " order by p.record_cid limit 8", "--format", "json").out().lines().toList()) {
      expected.add(JSON.readTree(line));
    }
    assertThat(expected).hasSize(8);
    List<String> texts = expected.stream().map(e -> e.path("text").asText()).toList();

    // ... the API answers for the same texts, in input order, to a holder of an API licence on the model.
    String callId = "model-it-" + System.nanoTime();
    Answer a = callModel("modelapi", call(MODEL_ASSET, texts).put("callId", callId));
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    assertThat(a.body().path("licence").path("kind").asText()).isEqualTo("api");
    assertThat(a.body().path("trainedOn").asText()).isEqualTo("ds-demo0001-v1");
    assertThat(a.body().path("modelId").asText()).isEqualTo(modelId);
    assertThat(a.body().path("recorded").asBoolean()).isTrue();
    JsonNode predictions = a.body().path("predictions");
    assertThat(predictions).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(predictions.get(i).path("label").asText()).as("input %d", i)
          .isEqualTo(expected.get(i).path("prediction").asText());
      assertThat(predictions.get(i).path("probability").asDouble()).as("input %d", i)
          .isCloseTo(expected.get(i).path("probability").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
    }

    // A licence on the index or on the training data is not a licence on the model; no licence at all neither.
    for (String who : List.of("nobody", "full", "datasetholder")) {
      Answer refused = callModel(who, call(MODEL_ASSET, List.of("river levels")));
      assertThat(refused.status()).as(who).isEqualTo(402);
      assertThat(refused.body().path("message").asText()).contains("no licence on model asset 2");
    }
    // Bad input, unknown or non-model assets: clear client errors.
    assertThat(callModel("modelapi", call(MODEL_ASSET, List.of())).status()).isEqualTo(400);
    assertThat(callModel("modelapi", call(MODEL_ASSET, java.util.Collections.nCopies(65, "x"))).status())
        .isEqualTo(400);
    assertThat(callModel("modelapi", call(MODEL_ASSET, List.of("  "))).status()).isEqualTo(400);
    Answer index = callModel("modelapi", call(3, List.of("river")));
    assertThat(index.status()).isEqualTo(404);
    assertThat(index.body().path("message").asText()).contains("not a published model");
    assertThat(callModel("modelapi", JSON.createObjectNode().put("asset", "2")).status()).isEqualTo(400);

    // A retry is answered and not metered again; the id with other inputs is refused.
    Answer retry = callModel("modelapi", call(MODEL_ASSET, texts).put("callId", callId));
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body().path("recorded").asBoolean()).isFalse();
    assertThat(callModel("modelapi", call(MODEL_ASSET, List.of("other")).put("callId", callId)).status())
        .isEqualTo(409);

    // One attribution.model_calls row for the call, whatever its number of inputs; nothing for refused calls.
    Thread.sleep(2_000);
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()))) {
      Table table = lakehouse.table(TableModel.ATTRIBUTION_MODEL_CALLS);
      table.refresh();
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
        it.forEach(r -> rows.add(r.copy()));
      }
      List<Record> mine = rows.stream()
          .filter(r -> ((String) r.getField("caller")).equalsIgnoreCase(keys.get("modelapi").address()))
          .toList();
      assertThat(mine).hasSize(1);
      assertThat(mine.get(0).getField("call_id")).isEqualTo(callId);
      assertThat(mine.get(0).getField("inputs")).isEqualTo(texts.size());
      assertThat(mine.get(0).getField("license_kind")).isEqualTo("api");
      assertThat(mine.get(0).getField("asset_id")).isEqualTo("2");
      assertThat(mine.get(0).getField("model_cid")).isEqualTo(a.body().path("modelCid").asText());
      assertThat(rows.stream().map(r -> ((String) r.getField("caller")).toLowerCase(java.util.Locale.ROOT)))
          .doesNotContain(keys.get("nobody").address().toLowerCase(java.util.Locale.ROOT),
              keys.get("full").address().toLowerCase(java.util.Locale.ROOT));
    }
  }

  private List<Record> rowsOf(List<String> ids) throws Exception {
    return usage().stream().filter(r -> ids.contains((String) r.getField("query_id"))).toList();
  }
}
