package io.ledgerlake.platform.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.ingest.IngestSettings;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.platform.LedgerLakePlatform;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.licence.ChainLicenceGate;
import io.ledgerlake.provenance.local.LocalChain;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.training.serve.ModelCallService;
import io.ledgerlake.training.serve.SparkModelPredictor;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Model call latency as a client feels it (a main class, not a test), on the demo's published model (asset 2, trained
 * by {@code demo --records N}) on a local anvil chain: (a) the prediction alone in-process ({@link SparkModelPredictor}:
 * the fitted Spark pipeline on a one-row DataFrame), the baseline; (b) the licence-gated, metered service in-process
 * ({@link ModelCallService}: licence check, prediction, call journaled before the answer); (c) {@code POST
 * /v1/models/predict} of the running platform with a bearer token, one client; (d) the same, 4 concurrent clients;
 * (e) and (f) 64 inputs per call, in-process prediction against HTTP. p50/p99 per call, ratios to (a). Usage:
 * {@code ModelCallBenchmark [--records 200] [--calls 300] [--dir DIR]}; the command is in docs/benchmarks.md.
 */
public final class ModelCallBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MODEL_ASSET = 2;

  public static void main(String[] args) throws Exception {
    int records = 200;
    int calls = 300;
    Path dir = Files.createTempDirectory("model-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; use --records N --calls N --dir DIR");
      }
    }
    Path data = dir.resolve("data-" + System.nanoTime());
    RagQueryBenchmark.cli(data, "chain", "up");
    try {
      RagQueryBenchmark.cli(data, "demo", "--records", Integer.toString(records));
      run(Settings.of(Map.of(LakehouseOptions.DATA_DIR, data.toString(), IngestionOptions.HTTP_PORT, "0")), data,
          calls);
    } finally {
      RagQueryBenchmark.cli(data, "chain", "down");
    }
    System.exit(0); // Spark and Flink leave non-daemon threads behind
  }

  private static void run(Settings settings, Path data, int calls) throws Exception {
    ProvenanceClient owner = ChainSettings.client(settings, false);
    DevKeyFile user = DevKeyFile.generate(data.resolve("user-key.json"));
    LocalChain.Running chain = LocalChain.running(ChainSettings.options(settings)).orElseThrow();
    RagQueryBenchmark.rpc(chain.rpcUrl(), "anvil_setBalance", user.address(), "0x56BC75E2D63100000");
    try (ProvenanceClient licensee = ProvenanceClient.connect(LocalChain.clientOptions(ChainSettings.options(settings),
        chain), chain.deployment(), org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(
            user.keyPair().getPrivateKey(), 64))) {
      licensee.buyLicense(MODEL_ASSET, LicenseKind.API, new BigInteger("1000000000000000000"), null);
    }
    List<String> texts = texts(calls + 30);
    List<String> batch = texts.subList(0, 64);
    RagOptions options = RagOptions.from(settings);
    SparkOptions spark = SparkOptions.from(settings);
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(new LedgerLakePlatform.Config(
        LakehouseOptions.from(settings), ContentSettings.options(settings).withGatewayPort(0), true,
        IngestSettings.ingestion(settings), IngestSettings.job(settings), Duration.ofSeconds(5), null,
        new LedgerLakePlatform.Rag(owner, options, spark)))) {
      String token = new IngestionClient(platform.apiUri(), Optional.empty()).login(user);
      HttpClient http = HttpClient.newHttpClient();
      URI endpoint = platform.apiUri().resolve("/v1/models/predict");
      java.util.function.Function<List<String>, IntConsumer> viaHttp = inputs -> i -> {
        try {
          ObjectNode body = JSON.createObjectNode().put("asset", Long.toString(MODEL_ASSET))
              .put("callId", "bench-" + System.nanoTime() + "-" + i);
          (inputs == null ? List.of(texts.get(i)) : inputs).forEach(body.putArray("inputs")::add);
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer "
              + token).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                  body.toString())).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      SparkModelPredictor predictor = new SparkModelPredictor(platform.lakehouse().options(), spark);
      try (ModelCallService service = new ModelCallService(platform.lakehouse(), new ChainLicenceGate(owner,
          Duration.ofMillis(options.licenceCacheMs()), Clock.systemUTC()), predictor, Clock.systemUTC())) {
        ModelCallService.Target target = service.call(user.address(), new ModelCallService.Request(
            Long.toString(MODEL_ASSET), List.of("warm up"), null)).target();
        IntConsumer prediction = i -> predictor.predict(target, List.of(texts.get(i)));
        IntConsumer inProcess = i -> service.call(user.address(), new ModelCallService.Request(
            Long.toString(MODEL_ASSET), List.of(texts.get(i)), "bench-in-" + System.nanoTime() + "-" + i));
        IntConsumer batchPrediction = i -> predictor.predict(target, batch);
        for (int i = 0; i < 30; i++) { // warm-up of every path (JIT, Spark plans, connections)
          prediction.accept(i);
          inProcess.accept(i);
          viaHttp.apply(null).accept(i);
          batchPrediction.accept(i);
          viaHttp.apply(batch).accept(i);
        }
        double[] a = Latencies.time(prediction, calls);
        double[] b = Latencies.time(inProcess, calls);
        double[] c = Latencies.time(viaHttp.apply(null), calls);
        double[][] d = Latencies.timeConcurrent(viaHttp.apply(null), calls, 4);
        double[] e = Latencies.time(batchPrediction, calls / 3);
        double[] f = Latencies.time(viaHttp.apply(batch), calls / 3);
        System.out.println("path | p50 ms | p99 ms | p50 / prediction p50 | calls/s");
        Latencies.row("(a) prediction in-process (Spark pipeline, 1 input), baseline", a, a[0],
            1000 / Latencies.mean(a));
        Latencies.row("(b) licence-gated, metered service in-process", b, a[0], 1000 / Latencies.mean(b));
        Latencies.row("(c) POST /v1/models/predict, 1 client", c, a[0], 1000 / Latencies.mean(c));
        Latencies.row("(d) POST /v1/models/predict, 4 clients", d[0], a[0], d[1][0]);
        Latencies.row("(e) prediction in-process, 64 inputs", e, e[0], 1000 / Latencies.mean(e));
        Latencies.row("(f) POST /v1/models/predict, 64 inputs, 1 client", f, e[0], 1000 / Latencies.mean(f));
      }
    }
    System.out.printf("calls %d per path (%d for 64-input paths); model asset %d of the demo%n", calls, calls / 3,
        MODEL_ASSET);
  }

  private static List<String> texts(int n) {
    String[] topics = {"river levels rose", "herons were counted", "solar panels produced", "air quality dropped",
        "soil moisture fell", "traffic flow eased"};
    Random r = new Random(7);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("Station " + r.nextInt(50) + ": " + topics[r.nextInt(topics.length)] + " on day " + i + ".");
    }
    return out;
  }
}
