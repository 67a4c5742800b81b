package io.ledgerlake.labeling.stage.bench;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.LabelingState;
import io.ledgerlake.labeling.stage.LabelingStage;
import io.ledgerlake.labeling.stage.LabelingStageOptions;
import io.ledgerlake.labeling.stage.RecordText;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * Records/s through the lakehouse labeling stage ({@link LabelingStage#runOnce()}: read new ingest.records rows,
 * label, commit label.labels with cursor and state) against, in the same run, (a) committing the same records to
 * ingest.records with the same appender (the lakehouse write ingestion does) and (b) {@code LabelingPipeline.process}
 * alone on the same texts (the labeling work without any I/O). A main class, not a test: see docs/benchmarks.md.
 */
public final class LabelingStageBenchmark {
  private static final String[] WORDS = ("the of and to in that is was for on with as by at from this have which are"
      + " river market library council budget station garden winter harbor museum engine signal forest bridge ledger"
      + " contract village teacher report season harvest climate journey lantern meadow orbit planet").split(" ");

  private LabelingStageBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    List<String> texts = texts(n, 11);
    Path dir = Files.createTempDirectory("labeling-stage-bench");
    LabelingPipeline pipeline = new LabelingPipeline(LabelingOptions.defaults());
    // Warm-up: model load, JIT.
    LabelingState warm = pipeline.newState();
    for (int i = 0; i < Math.min(500, n); i++) {
      pipeline.process("w" + i, texts.get(i), warm);
    }
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lakehouse.init();
      Table records = lakehouse.table(TableModel.INGEST_RECORDS);
      List<Record> rows = rows(records, texts);
      // Warm-up of the writer path (Parquet classes, catalog) on a copy, then label it away so the timed stage
      // run sees exactly the n timed records.
      TableAppender.append(records, rows.subList(0, Math.min(200, n)).stream().map(r -> {
        Record c = r.copy();
        c.setField("record_cid", "warm-" + r.getField("record_cid"));
        c.setField("dataset_id", "warm");
        return c;
      }).toList());
      new LabelingStage(lakehouse, pipeline, LabelingStageOptions.defaults()).runOnce();
      long t0 = System.nanoTime();
      TableAppender.append(records, rows);
      double append = n / ((System.nanoTime() - t0) / 1e9);

      LabelingState state = pipeline.newState();
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        pipeline.process(String.format(Locale.ROOT, "bafkreibench%08d", i), RecordText.of(
            "{\"text\":\"" + texts.get(i) + "\"}"), state);
      }
      double process = n / ((System.nanoTime() - t1) / 1e9);

      long t2 = System.nanoTime();
      LabelingStage.Summary s = new LabelingStage(lakehouse, pipeline, LabelingStageOptions.defaults()).runOnce();
      double stage = n / ((System.nanoTime() - t2) / 1e9);
      System.out.printf(Locale.ROOT, "records: %d, label rows: %d, commits: %d%n", s.records(), s.labelRows(),
          s.commits());
      System.out.printf(Locale.ROOT, "%-58s %10.0f records/s  1.000%n", "baseline: append to ingest.records", append);
      System.out.printf(Locale.ROOT, "%-58s %10.0f records/s  %.4f%n", "LabelingPipeline.process only (no I/O)",
          process, process / append);
      System.out.printf(Locale.ROOT, "%-58s %10.0f records/s  %.4f%n",
          "labeling stage runOnce (read + label + commit)", stage, stage / append);
    }
  }

  /** One ingest.records row per text, CIDs {@code bafkreibench<i>}, dataset {@code bench}. */
  public static List<Record> rows(Table records, List<String> texts) {
    int n = texts.size();
    List<Record> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Object> v = new HashMap<>();
      String json = "{\"text\":\"" + texts.get(i) + "\"}";
      v.put("record_cid", String.format(Locale.ROOT, "bafkreibench%08d", i));
      v.put("dataset_id", "bench");
      v.put("submission_id", "sub");
      v.put("contributor", "0x" + "ab".repeat(20));
      v.put("content_cid", "bafybeicontent");
      v.put("record_json", json);
      v.put("byte_size", json.length());
      v.put("ingested_at", OffsetDateTime.now(ZoneOffset.UTC));
      rows.add(Rows.of(records.schema(), v));
    }
    return rows;
  }

  /** N synthetic ~1 KB texts: about 5 % exact copies, 10 % with an e-mail address. */
  public static List<String> texts(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i > 10 && rnd.nextInt(20) == 0) {
        out.add(out.get(rnd.nextInt(i))); // ~5 % exact copies
        continue;
      }
      StringBuilder sb = new StringBuilder();
      while (sb.length() < 1000) {
        int len = 8 + rnd.nextInt(12);
        for (int w = 0; w < len; w++) {
          sb.append(w == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        sb.append(". ");
      }
      if (rnd.nextInt(10) == 0) {
        sb.append("Contact user").append(i).append("@example.org for details.");
      }
      out.add(sb.toString());
    }
    return out;
  }
}
