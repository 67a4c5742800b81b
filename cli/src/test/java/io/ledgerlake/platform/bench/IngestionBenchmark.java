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
 * <pre>
 * mvn -B -q -pl jobs -am test-compile -DskipTests && \
 *   java -Xmx6g $OPENS -cp "jobs/target/test-classes:jobs/target/classes:$(cat jobs/target/cp.txt)" \
 *   io.ledgerlake.platform.bench.IngestionBenchmark --records 1000000 --dir /tmp/ll-bench
 * </pre>
 */
public final class IngestionBenchmark {
  public static void main(String[] args) throws Exception {
    int records = 200_000;
    Path dir = Path.of("target/ingestion-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --records N --dir DIR");
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

    // End to end through the platform.
    Path data = dir.resolve("platform-" + System.nanoTime());
    LedgerLakePlatform.Config config =
        new LedgerLakePlatform.Config(
            LakehouseOptions.embedded(data),
            ContentOptions.defaults().withStoreDir(data.resolve("content")).withGatewayPort(0),
            true,
            LedgerLakePlatform.ingestionOptions(Map.of(IngestionOptions.HTTP_PORT, "0", IngestionOptions.MAX_UPLOAD_BYTES, Long.toString(4L << 30)), data),
            IngestionJobOptions.from(Map.of(IngestionJobOptions.CHECKPOINT_INTERVAL, "1000")),
            Duration.ofSeconds(30));
    double e2e;
    long uploadNanos;
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config)) {
      DevKeyFile key = DevKeyFile.generate(dir.resolve("key-" + System.nanoTime() + ".json"));
      IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
      IngestionClient client = anon.withToken(anon.login(key));
      String ds = client.createDataset(new ObjectMapper().readTree(
          "{\"name\":\"bench\",\"format\":\"jsonl\",\"visibility\":\"public\",\"schema\":{\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"required\":true},{\"name\":\"text\",\"type\":\"string\",\"required\":true},{\"name\":\"topic\",\"type\":\"string\",\"required\":true}],\"additionalFields\":false}}"));
      long start = System.nanoTime();
      String submission = client.upload(ds, input, null, n -> {}).submissionId();
      uploadNanos = System.nanoTime() - start;
      while (!"ingested".equals(client.status(submission).path("status").asText())) {
        Thread.sleep(200);
      }
      e2e = records / ((System.nanoTime() - start) / 1e9);
    }
    System.out.printf("upload: %.1f MB/s%n", bytes / 1e6 / (uploadNanos / 1e9));
    System.out.printf("end to end (upload -> committed snapshot): %.0f records/s = %.2f of the ceiling%n", e2e, e2e / ceiling);
    System.out.printf("peak RSS of this JVM: %s%n", peakRss());
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
