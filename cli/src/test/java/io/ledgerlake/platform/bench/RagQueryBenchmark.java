package io.ledgerlake.platform.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.cli.LedgerLake;
import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.ingest.IngestSettings;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.RecordCids;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.jobs.publish.PublishDerivedJob;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.platform.LedgerLakePlatform;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.LocalChain;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.provenance.model.LicenseTerms;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.embed.SentenceEmbedder;
import io.ledgerlake.rag.index.IndexBuildJob;
import io.ledgerlake.rag.index.IndexStore;
import io.ledgerlake.rag.query.RagQueryService;
import io.ledgerlake.rag.query.RagRetriever;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * RAG query latency as a user feels it (a main class, not a test): a published index of N vectors on a local anvil
 * chain, queried (a) in-process through retrieval alone ({@link RagRetriever}: embed the question, HNSW search), the
 * baseline; (b) in-process through the licence-gated service ({@link RagQueryService}: licence check on chain, search,
 * usage committed to attribution.usage before the answer); (c) through {@code POST /v1/rag/query} of the running
 * platform with a bearer token, one client; (d) the same with 4 concurrent clients. p50/p99 per query, ratios to (a).
 *
 * <p>The N records are synthetic (short texts, 10 contributors), curated, published as a dataset version; their
 * vectors are clustered random unit vectors (300 centroids), written to rag.embeddings with the real model's id and
 * hash, so the index build, the publish and every query path are the real ones; questions are embedded by the real
 * model. Usage: {@code RagQueryBenchmark [--vectors 100000] [--queries 400] [--dir DIR]}; the command is in
 * docs/benchmarks.md.
 */
public final class RagQueryBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATASET = "ds-ragbench";

  public static void main(String[] args) throws Exception {
    int vectors = 100_000;
    int queries = 400;
    Path dir = Files.createTempDirectory("rag-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--vectors" -> vectors = Integer.parseInt(args[++i]);
        case "--queries" -> queries = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; use --vectors N --queries N --dir DIR");
      }
    }
    Path data = dir.resolve("data-" + System.nanoTime());
    Settings settings = Settings.of(Map.of(LakehouseOptions.DATA_DIR, data.toString(),
        IngestionOptions.HTTP_PORT, "0"));
    cli(data, "chain", "up");
    try {
      run(settings, data, vectors, queries);
    } finally {
      cli(data, "chain", "down");
    }
    System.exit(0); // Spark and Flink leave non-daemon threads behind
  }

  private static void run(Settings settings, Path data, int vectors, int queries) throws Exception {
    ProvenanceClient owner = ChainSettings.client(settings, false);
    ContentStore content = ContentSettings.open(settings);
    RagOptions options = RagOptions.from(settings);
    long indexAsset;
    long buildMs;
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings))) {
      lakehouse.init();
      writeDataset(lakehouse, vectors);
      DatasetPublisher.Publication dataset = publicationOf(new DatasetPublisher(lakehouse, content, owner,
          new PrintWriter(new StringWriter())).publish(DATASET).tag(), lakehouse);
      JobRunner runner = new JobRunner(lakehouse, new PrintWriter(new StringWriter()));
      long t0 = System.nanoTime();
      IndexBuildJob.Result index = runner.run(new IndexBuildJob(SparkOptions.from(settings), options,
          IndexStore.inDataDir(content, data)), new IndexBuildJob.Params(DATASET, dataset.tag()));
      buildMs = (System.nanoTime() - t0) / 1_000_000;
      indexAsset = runner.run(new PublishDerivedJob(content, owner, PublishDerivedJob.Kind.INDEX),
          new PublishDerivedJob.Params(index.indexCid(), 0)).assetId();
      System.out.printf("index %s: %d vectors built in %d ms (the whole rag build job: Spark read, HNSW, content"
          + " store, records); asset %d%n", index.indexCid(), index.vectors(), buildMs, indexAsset);
    }
    // A licensee with prepaid API calls.
    DevKeyFile user = DevKeyFile.generate(data.resolve("user-key.json"));
    LocalChain.Running chain = LocalChain.running(ChainSettings.options(settings)).orElseThrow();
    rpc(chain.rpcUrl(), "anvil_setBalance", user.address(), "0x56BC75E2D63100000");
    owner.setLicenseTerms(indexAsset, LicenseTerms.offered(LicenseKind.API, BigInteger.ONE, Duration.ZERO, ""));
    try (ProvenanceClient licensee = ProvenanceClient.connect(LocalChain.clientOptions(ChainSettings.options(settings),
        chain), chain.deployment(), org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(user.keyPair().getPrivateKey(), 64))) {
      licensee.buyLicense(indexAsset, LicenseKind.API, new BigInteger("1000000000000000000"), null);
    }
    String asset = Long.toString(indexAsset);
    List<String> questions = questions(queries);

    try (LedgerLakePlatform platform = LedgerLakePlatform.start(new LedgerLakePlatform.Config(
        LakehouseOptions.from(settings), ContentSettings.options(settings).withGatewayPort(0), true,
        IngestSettings.ingestion(settings), IngestSettings.job(settings), Duration.ofSeconds(5), null,
        new LedgerLakePlatform.Rag(owner, options, io.ledgerlake.lakehouse.spark.SparkOptions.from(settings))))) {
      String token = new IngestionClient(platform.apiUri(), Optional.empty()).login(user);
      HttpClient http = HttpClient.newHttpClient();
      URI endpoint = platform.apiUri().resolve("/v1/rag/query");
      IntConsumer viaHttp = i -> {
        try {
          String body = JSON.createObjectNode().put("asset", asset).put("query", questions.get(i)).put("k", 10)
              .put("queryId", "bench-" + System.nanoTime() + "-" + i).toString();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      try (RagQueryService service = RagQueryService.over(platform.lakehouse(), platform.content(), owner, options,
              Clock.systemUTC());
          RagRetriever retriever = new RagRetriever(platform.lakehouse(),
              IndexStore.inDataDir(platform.content(), data), options)) {
        String indexCid = service.query(user.address(), new RagQueryService.Request(asset, "warm up", 10, null, null))
            .target().indexCid();
        IntConsumer retrieval = i -> retriever.queryIndex(indexCid, questions.get(i), 10);
        IntConsumer inProcess = i -> service.query(user.address(),
            new RagQueryService.Request(asset, questions.get(i), 10, "bench-in-" + System.nanoTime() + "-" + i, null));
        for (int i = 0; i < 30; i++) { // warm-up of every path (JIT, index files, connections)
          retrieval.accept(i);
          inProcess.accept(i);
          viaHttp.accept(i);
        }
        double[] a = Latencies.time(retrieval, queries);
        double[] b = Latencies.time(inProcess, queries);
        double[] c = Latencies.time(viaHttp, queries);
        double[][] d = Latencies.timeConcurrent(viaHttp, queries, 4);
        System.out.println("path | p50 ms | p99 ms | p50 / retrieval p50 | queries/s");
        Latencies.row("(a) retrieval in-process (embed + HNSW), baseline", a, a[0], 1000 / Latencies.mean(a));
        Latencies.row("(b) licence-gated service in-process (+ chain check + usage commit)", b, a[0], 1000 / Latencies.mean(b));
        Latencies.row("(c) POST /v1/rag/query, 1 client", c, a[0], 1000 / Latencies.mean(c));
        Latencies.row("(d) POST /v1/rag/query, 4 clients", d[0], a[0], d[1][0]);
      }
    }
    System.out.printf("vectors %d, queries %d per path, k 10, ef %d; index build %d ms (%.1f s per 100k vectors);"
        + " peak heap %d MB%n", vectors, queries, options.searchEf(), buildMs, buildMs / 1000.0 * 100_000 / vectors,
        peakHeapMb());
  }

  private static List<String> questions(int n) {
    String[] topics = {"river levels", "bird counts", "solar output", "air quality", "soil moisture", "traffic flow"};
    String[] asks = {"What was reported about", "Summarise the readings of", "Which station measured",
        "How did the week go for", "Any anomalies in"};
    Random r = new Random(5);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n + 30; i++) {
      out.add(asks[r.nextInt(asks.length)] + " " + topics[r.nextInt(topics.length)] + " " + i + "?");
    }
    return out;
  }

  /** N records of 10 contributors, all included by curation, and their (synthetic, clustered) embeddings. */
  private static void writeDataset(Lakehouse lakehouse, int n) {
    SentenceEmbedder model = SentenceEmbedder.shared();
    int dims = model.embed("dimension probe").length;
    Random random = new Random(42);
    float[][] centroids = new float[300][dims];
    for (float[] c : centroids) {
      for (int d = 0; d < dims; d++) {
        c[d] = (float) random.nextGaussian();
      }
    }
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    Table labels = lakehouse.table(TableModel.LABEL_LABELS);
    Table embeddings = lakehouse.table(TableModel.RAG_EMBEDDINGS);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    int batch = 20_000;
    for (int from = 0; from < n; from += batch) {
      List<Record> rs = new ArrayList<>();
      List<Record> ls = new ArrayList<>();
      List<Record> es = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + batch); i++) {
        String json = "{\"id\":" + i + ",\"text\":\"Field note " + i + " from station " + (i % 10) + "\"}";
        String cid = RecordCids.of(json.getBytes(StandardCharsets.UTF_8));
        String contributor = String.format("0x%040x", 0xc0ffee00L + i % 10);
        Map<String, Object> r = new HashMap<>();
        r.put("record_cid", cid);
        r.put("dataset_id", DATASET);
        r.put("submission_id", "s-bench");
        r.put("contributor", contributor);
        r.put("content_cid", "bafkreibench");
        r.put("record_json", json);
        r.put("byte_size", json.length());
        r.put("ingested_at", now);
        rs.add(Rows.of(records.schema(), r));
        Map<String, Object> l = new HashMap<>();
        l.put("record_cid", cid);
        l.put("dataset_id", DATASET);
        l.put("labeler", "curation");
        l.put("labeler_version", "1+bench");
        l.put("label_key", "curation");
        l.put("value", "included");
        l.put("labeled_at", now);
        ls.add(Rows.of(labels.schema(), l));
        float[] c = centroids[random.nextInt(centroids.length)];
        float[] v = new float[dims];
        double norm = 0;
        for (int d = 0; d < dims; d++) {
          v[d] = c[d] + (float) (0.3 * random.nextGaussian());
          norm += v[d] * v[d];
        }
        List<Float> vector = new ArrayList<>(dims);
        for (int d = 0; d < dims; d++) {
          vector.add((float) (v[d] / Math.sqrt(norm)));
        }
        Map<String, Object> e = new HashMap<>();
        e.put("record_cid", cid);
        e.put("chunk", 0);
        e.put("dataset_id", DATASET);
        e.put("version_tag", DATASET + "-v1");
        e.put("contributor", contributor);
        e.put("model_id", model.modelId());
        e.put("model_sha256", model.modelSha256());
        e.put("dimensions", dims);
        e.put("vector", vector);
        e.put("text", "Field note " + i + " from station " + (i % 10));
        e.put("run_id", "bench");
        e.put("embedded_at", now);
        es.add(Rows.of(embeddings.schema(), e));
      }
      TableAppender.append(records, rs);
      TableAppender.append(labels, ls);
      TableAppender.append(embeddings, es);
    }
  }

  private static DatasetPublisher.Publication publicationOf(String tag, Lakehouse lakehouse) {
    return DatasetPublisher.publicationsByDataset(lakehouse).get(DATASET).stream().filter(p -> p.tag().equals(tag))
        .findFirst().orElseThrow();
  }

  static void rpc(String url, String method, String... params) throws Exception {
    var body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
    var array = body.putArray("params");
    for (String p : params) {
      array.add(p);
    }
    HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void cli(Path data, String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--data-dir";
    all[args.length + 1] = data.toString();
    int code = LedgerLake.execute(all, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + " exited " + code);
    }
  }

  private static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1 << 20);
  }
}
