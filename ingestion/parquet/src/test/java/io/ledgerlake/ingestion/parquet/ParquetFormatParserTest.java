package io.ledgerlake.ingestion.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.format.ContentInputs;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.format.UploadParser;
import io.ledgerlake.ingestion.testing.CollectingVisitor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetFormatParserTest {
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message row {\n"
      + "  required int64 id;\n"
      + "  optional binary name (STRING);\n"
      + "  optional double score;\n"
      + "  optional int64 at (TIMESTAMP(MICROS,true));\n"
      + "  optional int32 day (DATE);\n"
      + "  optional int32 price (DECIMAL(9,2));\n"
      + "  optional group tags (LIST) { repeated group list { optional binary element (STRING); } }\n"
      + "}");

  @TempDir
  Path dir;

  static Path writeParquet(Path file, int rows) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration())
        .withType(SCHEMA)
        .withRowGroupSize(4096L) // several row groups, to exercise the row-group loop
        .withPageSize(1024)
        .build()) {
      for (int i = 1; i <= rows; i++) {
        Group g = groups.newGroup().append("id", (long) i);
        if (i % 10 != 0) {
          g.append("name", "name-" + i);
        }
        g.append("score", i / 4.0);
        g.append("at", Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000 + i);
        g.append("day", (int) LocalDate.parse("2026-01-01").toEpochDay());
        g.append("price", 12345);
        Group tags = g.addGroup("tags");
        tags.addGroup("list").append("element", "a");
        tags.addGroup("list").append("element", "b" + i);
        writer.write(g);
      }
    }
    return file;
  }

  @Test
  void rowsBecomeRecordsWithRowNumbers() throws IOException {
    Path file = writeParquet(dir.resolve("data.parquet"), 500);
    CollectingVisitor v = new CollectingVisitor();
    UploadParser.create(ParseLimits.defaults())
        .parse(DataFormat.PARQUET, "application/vnd.apache.parquet", ContentInputs.ofPath(file), v);
    assertThat(v.rejections).isEmpty();
    assertThat(v.records).hasSize(500);
    assertThat(v.records.get(499).position().ordinal()).isEqualTo(500);
    assertThat(v.records.get(0).value().toString()).isEqualTo("{\"id\":1,\"name\":\"name-1\",\"score\":0.25,"
        + "\"at\":\"2026-01-01T00:00:00.000001Z\",\"day\":\"2026-01-01\",\"price\":123.45,\"tags\":[\"a\",\"b1\"]}");
    assertThat(v.records.get(9).value().has("name")).isFalse();
    assertThat(v.records.get(0).value().get("price").decimalValue()).isEqualTo(new BigDecimal("123.45"));
  }

  @Test
  void everyCutIntoRowGroupRunsGivesTheRecordsOfTheWholeParse() throws IOException {
    Path file = writeParquet(dir.resolve("groups.parquet"), 2_000);
    CollectingVisitor whole = new CollectingVisitor();
    new ParquetFormatParser().parse(ContentInputs.ofPath(file), "", "", whole);
    var single = ParquetFormatParser.rowGroupRanges(ContentInputs.ofPath(file), 1);
    assertThat(single.size()).as("row groups of the file").isGreaterThan(3);
    for (long target : new long[] {1, 5_000, 20_000, Long.MAX_VALUE}) {
      var runs = ParquetFormatParser.rowGroupRanges(ContentInputs.ofPath(file), target);
      assertThat(runs.stream().mapToInt(ParquetFormatParser.RowGroups::count).sum()).isEqualTo(single.size());
      java.util.List<String> values = new java.util.ArrayList<>();
      long rowsBefore = 0;
      for (var run : runs) {
        CollectingVisitor part = new CollectingVisitor();
        new ParquetFormatParser().parseRowGroups(ContentInputs.ofPath(file), "", run.first(), run.count(), part);
        for (var r : part.records) {
          // what the dedup step does: a range's row numbers follow the rows of the ranges before it
          values.add((r.position().ordinal() + rowsBefore) + " " + r.value());
        }
        rowsBefore += part.records.size();
      }
      assertThat(values).as("runs of >= %d bytes", target).containsExactlyElementsOf(whole.records.stream()
          .map(r -> r.position().ordinal() + " " + r.value()).toList());
    }
  }

  @Test
  void truncatedFileIsAClearError() throws IOException {
    byte[] whole = Files.readAllBytes(writeParquet(dir.resolve("whole.parquet"), 200));
    Path truncated = Files.write(dir.resolve("cut.parquet"), Arrays.copyOf(whole, whole.length - 100));
    assertThatThrownBy(() -> new ParquetFormatParser().parse(ContentInputs.ofPath(truncated), "", "",
        new CollectingVisitor()))
        .isInstanceOf(InvalidContentException.class)
        .hasMessageContaining("truncated")
        .extracting(e -> ((InvalidContentException) e).code()).isEqualTo("CORRUPT_PARQUET");
    assertThatThrownBy(() -> new ParquetFormatParser().parse(
        ContentInputs.ofBytes("{\"a\":1}\n{\"a\":2}\n".getBytes()), "", "", new CollectingVisitor()))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("not a Parquet file");
  }

  @Test
  void parquetInsideAZipIsSpilledAndRead() throws IOException {
    byte[] parquet = Files.readAllBytes(writeParquet(dir.resolve("in.parquet"), 50));
    ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
      zip.putNextEntry(new ZipEntry("part-0.parquet"));
      zip.write(parquet);
      zip.closeEntry();
    }
    CollectingVisitor v = new CollectingVisitor();
    UploadParser.create(ParseLimits.defaults())
        .parse(DataFormat.PARQUET, "application/zip", ContentInputs.ofBytes(zipBytes.toByteArray()), v);
    assertThat(v.records).hasSize(50);
    assertThat(v.records.get(49).position().entry()).isEqualTo("part-0.parquet");
  }
}
