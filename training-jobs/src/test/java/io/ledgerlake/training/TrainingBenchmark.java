package io.ledgerlake.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * Training benchmark (a main class, not a test): logistic regression on hashed TF-IDF text features through the whole
 * train job (pinned read of the curated view, split, fit, evaluate, canonical export, records) on Spark local[2],
 * against scikit-learn on the same records in the same run (training-jobs/src/test/resources/bench/sklearn_logreg.py,
 * needs python3 with scikit-learn: Debian's python3-sklearn). Usage: {@code TrainingBenchmark DIR N [N ...]}.
 */
public final class TrainingBenchmark {
  private static final String[] SPORTS = {"match", "goal", "team", "coach", "league", "score", "player", "season"};
  private static final String[] FINANCE = {"market", "stock", "bond", "yield", "investor", "profit", "bank", "rate"};
  private static final String[] FILLER = {"the", "a", "today", "report", "new", "big", "week", "people", "said",
      "about", "after", "city", "local", "year", "time", "good", "long", "small", "first", "last"};

  /** {@code -Dledgerlake.spark.gpu=true|auto|false} (default false) runs the job with the RAPIDS Accelerator. */
  private static final Settings SETTINGS = Settings.of(Map.of(SparkOptions.GPU,
      System.getProperty(SparkOptions.GPU, SparkOptions.GPU_DEFAULT)));
  /** {@code -Dbench.baseline=false} skips scikit-learn (for machines without it). */
  private static final boolean BASELINE = Boolean.parseBoolean(System.getProperty("bench.baseline", "true"));

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    System.out.println("records | spark job s | spark acc | sklearn fit s | sklearn process s | sklearn acc | job / sklearn process | peak heap MB");
    boolean warm = false;
    for (int i = 1; i < args.length; i++) {
      int n = Integer.parseInt(args[i]);
      if (!warm) {
        run(root.resolve("warmup"), 2_000); // Spark and JIT warm-up, not reported
        warm = true;
      }
      run(root.resolve("n" + n), n);
    }
  }

  private static void run(Path dir, int n) throws Exception {
    LakehouseOptions options = LakehouseOptions.embedded(dir.resolve("data"));
    Path jsonl = dir.resolve("records.jsonl");
    try (Lakehouse lakehouse = Lakehouse.open(options)) {
      lakehouse.init();
      write(lakehouse, jsonl, n);
      ContentStore content = ContentStore.open(ContentOptions.defaults().withStoreDir(dir.resolve("data").resolve("content")));
      TrainParams params = new TrainParams("ds-bench", "ds-bench-v1", LabelSource.parse("field:topic"), Algorithm.LOGREG,
          42, false, "text", TrainingOptions.NUM_FEATURES_DEFAULT, 100, 20);
      long t0 = System.nanoTime();
      TrainResult result = new JobRunner(lakehouse, new PrintWriter(new StringWriter()))
          .run(new TrainJob(content, SparkOptions.from(SETTINGS)), params);
      double jobS = (System.nanoTime() - t0) / 1e9;
      if (n <= 2_000) {
        return;
      }
      if (!BASELINE) {
        // The GPU check (training-jobs/gpu-check.sh) compares the job with itself, with and without RAPIDS.
        System.out.printf("%d | %.2f | %.4f | - | - | - | - | %d%n", n, jobS, result.accuracy(), peakHeapMb());
        return;
      }
      long p0 = System.nanoTime();
      Process python = new ProcessBuilder("python3", script().toString(), jsonl.toString(), "0.01")
          .redirectErrorStream(true).start();
      String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int code = python.waitFor();
      double processS = (System.nanoTime() - p0) / 1e9;
      if (code != 0) {
        throw new IllegalStateException("sklearn baseline failed: " + out);
      }
      JsonNode sk = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
      System.out.printf("%d | %.2f | %.4f | %.2f | %.2f | %.4f | %.2f | %d%n", n, jobS, result.accuracy(),
          sk.path("fit_s").asDouble(), processS, sk.path("accuracy").asDouble(), jobS / processS, peakHeapMb());
    }
  }

  private static Path script() throws Exception {
    Path tmp = Files.createTempFile("sklearn_logreg", ".py");
    try (var in = TrainingBenchmark.class.getResourceAsStream("/bench/sklearn_logreg.py")) {
      Files.write(tmp, in.readAllBytes());
    }
    return tmp;
  }

  /** The synthetic dataset of TrainJobTest, larger: every record included by curation. */
  static void write(Lakehouse lakehouse, Path jsonl, int n) throws Exception {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    Table labels = lakehouse.table(TableModel.LABEL_LABELS);
    Random random = new Random(n);
    OffsetDateTime now = OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    List<Record> recordRows = new ArrayList<>(n);
    List<Record> labelRows = new ArrayList<>(n);
    Files.createDirectories(jsonl.getParent());
    try (BufferedWriter w = Files.newBufferedWriter(jsonl)) {
      for (int i = 0; i < n; i++) {
        boolean sports = random.nextBoolean();
        String[] topic = sports ? SPORTS : FINANCE;
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < 16; k++) {
          text.append(random.nextInt(5) == 0 ? topic[random.nextInt(topic.length)] : FILLER[random.nextInt(FILLER.length)]).append(' ');
        }
        // 3% label noise, so that accuracy is not trivially 1.0
        String label = random.nextInt(100) < 3 ? (sports ? "finance" : "sports") : (sports ? "sports" : "finance");
        String json = "{\"id\":" + i + ",\"text\":\"" + text.toString().trim() + "\",\"topic\":\"" + label + "\"}";
        w.write(json);
        w.newLine();
        String cid = "bafybench" + i;
        Map<String, Object> r = new HashMap<>();
        r.put("record_cid", cid);
        r.put("dataset_id", "ds-bench");
        r.put("submission_id", "s1");
        r.put("contributor", "0xaaa");
        r.put("content_cid", "bafyupload");
        r.put("record_json", json);
        r.put("byte_size", json.length());
        r.put("ingested_at", now);
        recordRows.add(Rows.of(records.schema(), r));
        Map<String, Object> l = new HashMap<>();
        l.put("record_cid", cid);
        l.put("dataset_id", "ds-bench");
        l.put("labeler", "curation");
        l.put("labeler_version", "1+bench");
        l.put("label_key", "curation");
        l.put("value", "included");
        l.put("labeled_at", now);
        labelRows.add(Rows.of(labels.schema(), l));
      }
    }
    TableAppender.append(records, recordRows);
    lakehouse.versions(TableModel.INGEST_RECORDS).tagCurrent("ds-bench-v1");
    TableAppender.append(labels, labelRows);
  }

  private static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }

  private TrainingBenchmark() {}
}
