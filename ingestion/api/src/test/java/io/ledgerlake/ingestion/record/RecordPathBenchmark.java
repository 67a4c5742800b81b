package io.ledgerlake.ingestion.record;

import io.ledgerlake.ingestion.format.ContentInputs;
import io.ledgerlake.ingestion.format.JsonLinesParser;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.schema.FieldType;
import io.ledgerlake.ingestion.schema.SchemaField;
import io.ledgerlake.ingestion.testing.Sha256RawCids;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark harness (not a test): records/s of the per-record ingestion path on one core, for JSON Lines of ~1 KB
 * records: parse (JsonLinesParser) → validate → canonicalize (RFC 8785) → name (SHA-256 CID, test stand-in for the
 * content module). Baseline in the same run: splitting the same file into lines and hashing each line (the least any
 * record path must do). Run: see docs/benchmarks.md.
 */
public final class RecordPathBenchmark {
  public static void main(String[] args) throws IOException {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path file = Files.createTempFile("ledgerlake-bench", ".jsonl");
    try {
      write(file, records);
      System.out.printf("file: %d records, %.1f MB%n", records, Files.size(file) / 1e6);
      for (int round = 0; round < 2; round++) { // round 0 warms up the JIT
        double baseline = baseline(file, records);
        double parse = path(file, records, 0);
        double validate = path(file, records, 1);
        double canonical = path(file, records, 2);
        double full = path(file, records, 3);
        System.out.printf("round %d: baseline (split+hash) %.0f rec/s; parse %.0f; +validate %.0f; +canonicalize %.0f;"
            + " full path (+name) %.0f rec/s; full/baseline %.2f%n",
            round, baseline, parse, validate, canonical, full, full / baseline);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void write(Path file, int records) throws IOException {
    String padding = "lorem ipsum dolor sit amet ".repeat(34);
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (int i = 0; i < records; i++) {
        String line = "{\"id\":" + i + ",\"score\":" + (i % 1000) / 8.0 + ",\"ok\":" + (i % 2 == 0)
            + ",\"at\":\"2026-11-22T00:00:00Z\",\"text\":\"" + padding + i + "\",\"tags\":[\"a\",\"b\"]}\n";
        out.write(line.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static double baseline(Path file, int records) throws IOException {
    long start = System.nanoTime();
    long count = 0;
    java.security.MessageDigest sha = Sha256RawCids.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      int filled = 0;
      int n;
      while ((n = in.read(buffer, filled, buffer.length - filled)) > 0) {
        filled += n;
        int lineStart = 0;
        for (int i = 0; i < filled; i++) {
          if (buffer[i] == '\n') {
            sha.update(buffer, lineStart, i - lineStart);
            sha.digest();
            count++;
            lineStart = i + 1;
          }
        }
        System.arraycopy(buffer, lineStart, buffer, 0, filled - lineStart);
        filled -= lineStart;
      }
    }
    check(count, records);
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** stages: 0 parse only, 1 + validate, 2 + canonicalize, 3 + name (the full path). */
  private static double path(Path file, int records, int stages) throws IOException {
    DatasetSchema schema = new DatasetSchema(List.of(
        new SchemaField("id", FieldType.LONG, true), new SchemaField("score", FieldType.DOUBLE, true),
        new SchemaField("ok", FieldType.BOOLEAN, true), new SchemaField("at", FieldType.TIMESTAMP, true),
        new SchemaField("text", FieldType.STRING, true), new SchemaField("tags", FieldType.JSON, false)), false);
    RecordProcessor processor = new RecordProcessor(schema, Sha256RawCids::cidOf);
    long[] accepted = {0};
    long start = System.nanoTime();
    new JsonLinesParser(ParseLimits.defaults()).parse(ContentInputs.ofPath(file), "", "", new RecordVisitor() {
      @Override
      public boolean onRecord(ParsedRecord record) {
        if (stages == 0) {
          accepted[0]++;
        } else if (stages == 1) {
          schema.validate(record);
          accepted[0]++;
        } else if (stages == 2) {
          CanonicalJson.canonicalBytes(schema.validate(record));
          accepted[0]++;
        } else if (processor.process(record).isAccepted()) {
          accepted[0]++;
        }
        return true;
      }

      @Override
      public boolean onRejection(Rejection rejection) {
        return true;
      }
    });
    check(accepted[0], records);
    return accepted[0] / ((System.nanoTime() - start) / 1e9);
  }

  private static void check(long actual, int expected) {
    if (actual != expected) {
      throw new IllegalStateException("expected " + expected + " records, processed " + actual);
    }
  }
}
