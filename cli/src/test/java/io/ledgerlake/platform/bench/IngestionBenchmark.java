package io.ledgerlake.platform.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.RecordCids;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.ingestion.flink.IngestionJobOptions;
import io.ledgerlake.platform.LedgerLakePlatform;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * End-to-end ingestion throughput: records/s from the start of an upload to the committed Iceberg
 * snapshot through the whole embedded platform (API, content store, Kafka, Flink, Iceberg), against
 * the same records written by a plain Iceberg appender in the same run (the local ceiling).
 *
 * <p>{@code --parse-parallelism 1,2} runs the end-to-end part once per value (each on a new platform); {@code
 * --flink-cluster URL} runs the ingestion job on a Flink session cluster instead of the embedded MiniCluster. The
 * exact commands are in docs/benchmarks.md.
 */
public final class IngestionBenchmark {
  public static void main(String[] args) throws Exception {
    int records = 200_000;
    Path dir = Path.of("target/ingestion-bench");
    List<Integer> parseParallelisms = List.of(1);
    String flinkCluster = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--flink-cluster" -> flinkCluster = args[++i];
        case "--parse-parallelism" ->
            parseParallelisms = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; use --records N --dir DIR --parse-parallelism 1,2 [--flink-cluster http://127.0.0.1:8081]");
      }
    }
    Files.createDirectories(dir);
    Path input = dir.resolve("records.jsonl");
    long bytes = generate(input, records);
    System.out.printf("input: %d records, %.1f MB%n", records, bytes / 1e6);

    // Ceiling: the same records (canonical JSON, CID) appended by the plain Iceberg Java API.
    Path ceilingDir = dir.resolve("ceiling-" + System.nanoTime());
    double ceiling;
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(ceilingDir))) {
      lh.init();
      Table t = lh.table(TableModel.INGEST_RECORDS);
      long start = System.nanoTime();
      List<Record> batch = new ArrayList<>();
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      ObjectMapper json = new ObjectMapper();
      int n = 0;
      for (String line : (Iterable<String>) Files.lines(input)::iterator) {
        byte[] canonical = json.writeValueAsBytes(json.readTree(line));
        Map<String, Object> v = new HashMap<>();
        v.put("record_cid", RecordCids.of(canonical));
        v.put("dataset_id", "bench");
        v.put("submission_id", "s");
        v.put("contributor", "0x01");
        v.put("content_cid", "c");
        v.put("position", "line " + (++n));
        v.put("record_json", new String(canonical, StandardCharsets.UTF_8));
        v.put("byte_size", canonical.length);
        v.put("ingested_at", now);
        batch.add(Rows.of(t.schema(), v));
      }
      TableAppender.append(t, batch);
      ceiling = records / ((System.nanoTime() - start) / 1e9);
    }
    System.out.printf("ceiling (plain Iceberg appender): %.0f records/s%n", ceiling);

    // End to end through the platform, once per parse parallelism, each on a new data directory.
    for (int parsers : parseParallelisms) {
      Map<String, String> job = Map.of(IngestionJobOptions.CHECKPOINT_INTERVAL, "1000",
          IngestionJobOptions.PARSE_PARALLELISM, Integer.toString(parsers));
      Result r = endToEnd(dir, input, records, IngestionJobOptions.from(job), flinkCluster, job);
      System.out.printf("parse parallelism %d: upload %.1f MB/s; end to end (upload -> committed snapshot) %.0f records/s"
          + " = %.2f of the ceiling%n", parsers, bytes / 1e6 / (r.uploadNanos / 1e9), r.recordsPerSecond,
          r.recordsPerSecond / ceiling);
    }
    System.out.printf("peak RSS of this JVM: %s%n", peakRss());
  }

  record Result(long uploadNanos, double recordsPerSecond) {}

  /**
   * @param flinkCluster REST URL of a Flink session cluster to run the ingestion job on (the job jar of
   *     infra/flink-jobs/ingestion), or null for the embedded MiniCluster
   */
  static Result endToEnd(Path dir, Path input, int records, IngestionJobOptions jobOptions, String flinkCluster,
      Map<String, String> jobSettings) throws Exception {
    Path data = dir.resolve("platform-" + System.nanoTime());
    LedgerLakePlatform.Config config =
        new LedgerLakePlatform.Config(
            LakehouseOptions.embedded(data),
            ContentOptions.defaults().withStoreDir(data.resolve("content")).withGatewayPort(0),
            true,
            LedgerLakePlatform.ingestionOptions(Map.of(IngestionOptions.HTTP_PORT, "0", IngestionOptions.MAX_UPLOAD_BYTES, Long.toString(4L << 30)), data),
            jobOptions,
            Duration.ofSeconds(30));
    if (flinkCluster != null) {
      Map<String, String> settings = new HashMap<>(jobSettings);
      settings.put(io.ledgerlake.platform.flink.FlinkClusterOptions.CLUSTER_URL, flinkCluster);
      config = config.withFlinkClusterOf(io.ledgerlake.common.config.Settings.of(settings));
    }
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config)) {
      DevKeyFile key = DevKeyFile.generate(dir.resolve("key-" + System.nanoTime() + ".json"));
      IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
      IngestionClient client = anon.withToken(anon.login(key));
      String ds = client.createDataset(new ObjectMapper().readTree(
          "{\"name\":\"bench\",\"format\":\"jsonl\",\"visibility\":\"public\",\"schema\":{\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"required\":true},{\"name\":\"text\",\"type\":\"string\",\"required\":true},{\"name\":\"topic\",\"type\":\"string\",\"required\":true}],\"additionalFields\":false}}"));
      long start = System.nanoTime();
      String submission = client.upload(ds, input, null, n -> {}).submissionId();
      long uploadNanos = System.nanoTime() - start;
      var status = client.status(submission);
      while (!"ingested".equals(status.path("status").asText())) {
        if ("failed".equals(status.path("status").asText()) || "rejected".equals(status.path("status").asText())) {
          throw new IllegalStateException("submission " + submission + " ended " + status);
        }
        Thread.sleep(200);
        status = client.status(submission);
      }
      long end = System.nanoTime();
      double e2e = records / ((end - start) / 1e9);
      System.out.printf("  after the upload: %.0f records/s (%.1f s)%n", records / ((end - start - uploadNanos) / 1e9),
          (end - start - uploadNanos) / 1e9);
      if (status.path("counts").path("accepted").asLong() != records) {
        System.out.println("warning: status " + status);
      }
      return new Result(uploadNanos, e2e);
    }
  }

  static long generate(Path file, int records) throws Exception {
    Random random = new Random(42);
    String[] words = "data label model river solar audit ledger token proof chain record batch stream table version".split(" ");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < records; i++) {
        StringBuilder text = new StringBuilder();
        while (text.length() < 950) {
          text.append(words[random.nextInt(words.length)]).append(' ');
        }
        w.write("{\"id\":" + i + ",\"text\":\"" + text.toString().trim() + "\",\"topic\":\"" + words[i % words.length] + "\"}\n");
      }
    }
    return Files.size(file);
  }

  static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return line.substring(6).trim();
        }
      }
    } catch (Exception e) {
      return "unknown";
    }
    return "unknown";
  }
}
