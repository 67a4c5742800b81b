package io.ledgerlake.ingestion.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.content.StoredContent;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.format.ContentInput;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.kafka.EmbeddedKafkaBroker;
import io.ledgerlake.ingestion.kafka.SubmissionLog;
import io.ledgerlake.ingestion.record.RecordNamer;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.schema.FieldType;
import io.ledgerlake.ingestion.schema.SchemaField;
import io.ledgerlake.ingestion.testing.FileContentStore;
import io.ledgerlake.ingestion.testing.Sha256RawCids;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingestion job against real parts: an embedded KRaft Kafka broker, a Flink MiniCluster
 * (shared by the class), and an Iceberg JdbcCatalog on SQLite. The content store is the
 * ingestion module's file-backed test store (the content module's blockstore plugs in the same
 * way through {@link ContentAccess}).
 */
class IngestionJobITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir static Path dir;
  static EmbeddedKafkaBroker kafka;

  static final String CONTRIBUTOR = "0x" + "a1".repeat(20);

  /** Fails the Nth stream opened by the job once, midway through the content. */
  static final AtomicInteger OPENS = new AtomicInteger();
  static volatile int failOnOpen = -1;
  /** Streams and channels opened, per content CID. */
  static final Map<String, AtomicInteger> OPENS_BY_CID = new java.util.concurrent.ConcurrentHashMap<>();
  static final AtomicInteger INJECTED = new AtomicInteger();

  /** Content whose every read fails midway with a bug-like exception (not an I/O error), on every attempt. */
  static final Set<String> POISONED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Content whose reads fail with a bug-like exception once the stream skipped ahead: every range but the first. */
  static final Set<String> POISONED_RANGES = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static InputStream poisoned(InputStream s) {
    return new FilterInputStream(s) {
      long read;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (read > 3000) {
          throw new IllegalStateException("injected bug midway through the content");
        }
        int n = super.read(b, off, Math.min(len, 512));
        read += Math.max(n, 0);
        return n;
      }
    };
  }

  @BeforeAll
  static void startKafka() throws IOException {
    kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  /** Test content access: the file store, with an optional injected read failure. */
  static final class TestContent implements ContentAccess {
    final String storeDir;

    TestContent(Path storeDir) {
      this.storeDir = storeDir.toString();
    }

    @Override
    public ContentSource openSource() {
      try {
        FileContentStore store = new FileContentStore(Path.of(storeDir));
        return cid -> failing(cid, store.open(cid));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public RecordNamer namer() {
      return Sha256RawCids::cidOf;
    }

    private static ContentInput failing(String cid, ContentInput in) {
      return new ContentInput() {
        @Override
        public InputStream openStream() throws IOException {
          OPENS_BY_CID.computeIfAbsent(cid, k -> new AtomicInteger()).incrementAndGet();
          InputStream s = in.openStream();
          if (POISONED.contains(cid)) {
            return poisoned(s);
          }
          if (POISONED_RANGES.contains(cid)) {
            return new FilterInputStream(s) {
              boolean skipped;

              @Override
              public long skip(long n) throws IOException {
                skipped = true;
                return super.skip(n);
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                if (skipped) {
                  throw new IllegalStateException("injected bug in a range read");
                }
                return super.read(b, off, len);
              }
            };
          }
          if (OPENS.incrementAndGet() != failOnOpen) {
            return s;
          }
          return new FilterInputStream(s) {
            long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              if (read > 3000) {
                INJECTED.incrementAndGet();
                throw new IOException("injected failure midway through the content");
              }
              int n = super.read(b, off, Math.min(len, 512));
              read += Math.max(n, 0);
              return n;
            }
          };
        }

        @Override
        public SeekableByteChannel openChannel() throws IOException {
          OPENS_BY_CID.computeIfAbsent(cid, k -> new AtomicInteger()).incrementAndGet();
          return in.openChannel();
        }

        @Override
        public long size() {
          return in.size();
        }
      };
    }
  }

  record Setup(Path root, LakehouseOptions lakehouse, FileContentStore store, String topic, TestContent content) {}

  static Setup setup(String name) throws IOException {
    Path root = Files.createDirectories(dir.resolve(name));
    LakehouseOptions lakehouse = LakehouseOptions.embedded(root.resolve("data"));
    try (Lakehouse lh = Lakehouse.open(lakehouse)) {
      lh.init();
    }
    Path blocks = Files.createDirectories(root.resolve("content"));
    String topic = "submissions-" + name;
    SubmissionLog.ensureTopic(kafka.bootstrapServers(), topic, 2, Optional.empty(), Map.of());
    return new Setup(root, lakehouse, new FileContentStore(blocks), topic, new TestContent(blocks));
  }

  static SubmissionEvent submit(Setup s, String dataset, String submissionId, DataFormat format, String contentType, byte[] content, DatasetSchema schema) throws IOException {
    StoredContent stored = s.store().store(new ByteArrayInputStream(content));
    SubmissionEvent event =
        new SubmissionEvent(submissionId, dataset, CONTRIBUTOR, stored.cid(), stored.byteCount(), format, contentType, "", Instant.now(), schema);
    IngestionOptions options = IngestionOptions.defaultOptions().with(IngestionOptions.KAFKA_TOPIC, s.topic());
    try (SubmissionLog log = SubmissionLog.connect(kafka.bootstrapServers(), options)) {
      log.append(event);
    }
    return event;
  }

  /** The job's failures (each one restarted it), as the JobManager's REST API lists them. */
  static List<String> failureHistory(JobClient job) throws Exception {
    org.apache.flink.configuration.Configuration c = FLINK.getClientConfiguration();
    java.net.URI uri = java.net.URI.create("http://" + c.get(org.apache.flink.configuration.RestOptions.ADDRESS) + ":"
        + c.get(org.apache.flink.configuration.RestOptions.PORT) + "/jobs/" + job.getJobID() + "/exceptions");
    String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    com.fasterxml.jackson.databind.JsonNode entries = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body)
        .path("exceptionHistory").path("entries");
    assertThat(entries.isArray()).as("exception history in " + body).isTrue();
    List<String> failures = new ArrayList<>();
    entries.forEach(e -> failures.add(e.path("exceptionName").asText() + ": " + e.path("stacktrace").asText()
        .lines().findFirst().orElse("")));
    return failures;
  }

  static JobClient start(Setup s, IngestionJobOptions options) throws Exception {
    return start(s, options, RangeParseFunction.CHUNK_BYTES);
  }

  static JobClient start(Setup s, IngestionJobOptions options, int chunkBytes) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    IngestionJob.build(
        env,
        IngestionJob.kafkaSource(kafka.bootstrapServers(), s.topic(), options),
        s.lakehouse(),
        s.content(),
        ParseLimits.defaults(),
        options,
        chunkBytes);
    return env.executeAsync("ingestion-" + s.topic());
  }

  static List<Record> rows(Setup s, org.apache.iceberg.catalog.TableIdentifier id) throws IOException {
    try (Lakehouse lh = Lakehouse.open(s.lakehouse())) {
      Table t = lh.table(id);
      List<Record> out = new ArrayList<>();
      try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
        it.forEach(out::add);
      }
      return out;
    }
  }

  static List<Record> awaitStatuses(Setup s, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      List<Record> statuses = rows(s, TableModel.INGEST_SUBMISSIONS.identifier());
      if (statuses.size() >= n) {
        return statuses;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out waiting for " + n + " submission statuses");
  }

  static final DatasetSchema SCHEMA =
      new DatasetSchema(List.of(new SchemaField("id", FieldType.LONG, true), new SchemaField("text", FieldType.STRING, true)), false);

  static byte[] jsonl(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("{\"id\":").append(i).append(",\"text\":\"record number ").append(i).append(" with some padding text\"}\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void ingestsEveryFormatWithRejectionsDuplicatesAndStatus() throws Exception {
    Setup s = setup("formats");
    byte[] good = jsonl(0, 20);
    byte[] withBad = (new String(jsonl(20, 25), StandardCharsets.UTF_8) + "{not json\n" + "{\"id\":\"x\",\"text\":\"wrong type\"}\n").getBytes(StandardCharsets.UTF_8);
    byte[] overlapping = jsonl(15, 30); // 15..24 duplicate earlier records, 25..29 new
    byte[] csv = "id,text\n100,first row\n101,second row\n102\n".getBytes(StandardCharsets.UTF_8);
    DatasetSchema docSchema = new DatasetSchema(List.of(new SchemaField("text", FieldType.STRING, true)), true);
    byte[] doc = "# Title\n\nA markdown document.\n".getBytes(StandardCharsets.UTF_8);

    submit(s, "ds-json", "s1", DataFormat.JSONL, "application/x-ndjson", good, SCHEMA);
    submit(s, "ds-json", "s2", DataFormat.JSONL, "application/x-ndjson", withBad, SCHEMA);
    submit(s, "ds-json", "s3", DataFormat.JSONL, "application/x-ndjson", overlapping, SCHEMA);
    submit(s, "ds-csv", "s4", DataFormat.CSV, "text/csv", csv, SCHEMA);
    submit(s, "ds-doc", "s5", DataFormat.DOCUMENT, "text/markdown", doc, docSchema);
    // Wrong container: declared zip, but the bytes are not a zip file -> rejected as a whole.
    submit(s, "ds-json", "s6", DataFormat.JSONL, "application/zip", good, SCHEMA);

    JobClient job = start(s, IngestionJobOptions.defaults());
    try {
      List<Record> statuses = awaitStatuses(s, 6);
      Map<String, Record> byId = new HashMap<>();
      statuses.forEach(r -> byId.put((String) r.getField("submission_id"), r));
      assertThat(byId.get("s1").getField("status")).isEqualTo("ingested");
      assertThat(byId.get("s1").getField("accepted_records")).isEqualTo(20L);
      assertThat(byId.get("s2").getField("accepted_records")).isEqualTo(5L);
      assertThat(byId.get("s2").getField("rejected_records")).isEqualTo(2L);
      assertThat(byId.get("s3").getField("accepted_records")).isEqualTo(5L);
      assertThat(byId.get("s3").getField("duplicate_records")).isEqualTo(10L);
      assertThat(byId.get("s4").getField("accepted_records")).isEqualTo(2L);
      assertThat(byId.get("s4").getField("rejected_records")).isEqualTo(1L);
      assertThat(byId.get("s5").getField("accepted_records")).isEqualTo(1L);
      assertThat(byId.get("s6").getField("status")).isEqualTo("rejected");
      assertThat((String) byId.get("s6").getField("error")).isNotBlank();

      List<Record> records = rows(s, TableModel.INGEST_RECORDS.identifier());
      assertThat(records).hasSize(20 + 5 + 5 + 2 + 1);
      assertThat(records.stream().filter(r -> r.getField("submission_id").equals("s6"))).isEmpty();
      Record first = records.stream().filter(r -> r.getField("submission_id").equals("s1")).findFirst().orElseThrow();
      String json = (String) first.getField("record_json");
      assertThat(first.getField("record_cid")).isEqualTo(Sha256RawCids.cidOf(json.getBytes(StandardCharsets.UTF_8)));
      assertThat(json).startsWith("{\"id\":");

      List<Record> rejections = rows(s, TableModel.INGEST_REJECTIONS.identifier());
      assertThat(rejections).extracting(r -> r.getField("reason_code")).contains("MALFORMED_JSON", "SCHEMA_MISMATCH", "WRONG_COLUMN_COUNT");
      assertThat(rejections.stream().filter(r -> r.getField("submission_id").equals("s2")).map(r -> (String) r.getField("position")))
          .anyMatch(p -> p.startsWith("line 6 "));
      // the same position as values (schema v2): line 6 is the 6th record of a plain upload, at a byte past 0
      Record line6 = rejections.stream().filter(r -> r.getField("submission_id").equals("s2")
          && ((String) r.getField("position")).startsWith("line 6 ")).findFirst().orElseThrow();
      assertThat(line6.getField("entry")).isEqualTo("");
      assertThat(line6.getField("line_number")).isEqualTo(6L);
      assertThat(line6.getField("record_ordinal")).isEqualTo(6L);
      assertThat((Long) line6.getField("byte_offset")).isPositive();
      assertThat((String) line6.getField("position")).contains("(byte " + line6.getField("byte_offset") + ")");
      // a whole-upload rejection has no position values
      assertThat(rejections.stream().filter(r -> r.getField("submission_id").equals("s6")))
          .allMatch(r -> r.getField("record_ordinal") == null);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void failureMidStreamRecoversExactlyOnce() throws Exception {
    Setup s = setup("exactly-once");
    int submissions = 8;
    int perSubmission = 200;
    for (int i = 0; i < submissions; i++) {
      submit(s, "ds-eo", "eo-" + i, DataFormat.JSONL, "application/x-ndjson", jsonl(i * perSubmission, (i + 1) * perSubmission), SCHEMA);
    }
    OPENS.set(0);
    failOnOpen = 5; // the 5th submission's stream breaks after ~3 KB, once
    IngestionJobOptions options =
        new IngestionJobOptions(Duration.ofMillis(300), 1, 3, Duration.ofMillis(200), "eo", 1, 1 << 20, 1 << 20);
    JobClient job = start(s, options);
    try {
      awaitStatuses(s, submissions);
      assertThat(OPENS.get()).as("the failure was injected and the job restarted").isGreaterThan(submissions);
      List<Record> records = rows(s, TableModel.INGEST_RECORDS.identifier());
      Set<String> cids = new HashSet<>();
      records.forEach(r -> cids.add((String) r.getField("record_cid")));
      assertThat(records).hasSize(submissions * perSubmission);
      assertThat(cids).hasSize(submissions * perSubmission);
      List<Record> statuses = rows(s, TableModel.INGEST_SUBMISSIONS.identifier());
      assertThat(statuses).hasSize(submissions);
    } finally {
      failOnOpen = -1;
      job.cancel().get();
    }
  }

  @Test
  void aSubmissionThatMakesTheOperatorThrowIsQuarantinedAndOthersProceedAcrossARestart() throws Exception {
    Setup s = setup("poison");
    submit(s, "ds-a", "p1", DataFormat.JSONL, "application/x-ndjson", jsonl(0, 10), SCHEMA);
    SubmissionEvent poison = submit(s, "ds-a", "p2", DataFormat.JSONL, "application/x-ndjson", jsonl(10, 200), SCHEMA);
    POISONED.add(poison.cid());
    // The 72-byte record of the security review, in dataset B: a per-record rejection, nothing more.
    DatasetSchema scored = new DatasetSchema(List.of(new SchemaField("id", FieldType.LONG, true),
        new SchemaField("text", FieldType.STRING, true), new SchemaField("score", FieldType.DOUBLE, false)), false);
    byte[] hostile = ("{\"id\":21,\"text\":\"x\",\"score\":1e-999999999}\n{\"id\":1e100000000,\"text\":\"y\"}\n"
        + new String(jsonl(500, 505), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    submit(s, "ds-b", "p3", DataFormat.JSONL, "application/x-ndjson", hostile, scored);
    submit(s, "ds-b", "p4", DataFormat.JSONL, "application/x-ndjson", jsonl(600, 610), SCHEMA);
    IngestionJobOptions options = new IngestionJobOptions(Duration.ofMillis(300), 1, 3, Duration.ofMillis(200), "poison", 1, 1 << 20, 1 << 20);
    try {
      for (String group : List.of("poison", "poison-replay")) {
        // The second job has no state and a new consumer group: it replays the whole log, poison included,
        // as a restarted process would whose last checkpoint predates the quarantine.
        IngestionJobOptions run = new IngestionJobOptions(options.checkpointInterval(), 1, 3, Duration.ofMillis(200), group, 1, 1 << 20, 1 << 20);
        JobClient job = start(s, run);
        try {
          int expected = group.equals("poison") ? 4 : 8;
          Map<String, Record> latest = new HashMap<>();
          awaitStatuses(s, expected).forEach(r -> latest.put((String) r.getField("submission_id"), r));
          assertThat(latest.get("p2").getField("status")).isEqualTo("failed");
          assertThat((String) latest.get("p2").getField("error")).contains("quarantined").contains("p2");
          assertThat(latest.get("p1").getField("status")).isEqualTo("ingested");
          assertThat(latest.get("p3").getField("status")).isEqualTo("ingested");
          assertThat(latest.get("p3").getField("rejected_records")).isEqualTo(2L);
          assertThat(latest.get("p4").getField("accepted_records")).isEqualTo(10L);
          assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
        } finally {
          job.cancel().get();
        }
      }
      List<Record> records = rows(s, TableModel.INGEST_RECORDS.identifier());
      assertThat(records.stream().filter(r -> r.getField("submission_id").equals("p2")))
          .as("nothing of the quarantined submission is stored").isEmpty();
      List<Record> rejections = rows(s, TableModel.INGEST_REJECTIONS.identifier());
      assertThat(rejections.stream().filter(r -> r.getField("submission_id").equals("p3")).map(r -> (String) r.getField("reason")))
          .allMatch(reason -> reason.length() < 300);
    } finally {
      POISONED.clear();
    }
  }

  /**
   * An upload with everything that depends on where a range is cut: bad lines, schema mismatches, blank lines, CRLF,
   * multi-byte text, a record repeated inside the upload (the first occurrence must win) and records of an earlier
   * upload.
   */
  static byte[] awkwardUpload(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      switch (i % 97) {
        case 3 -> sb.append("{not json\n");
        case 7 -> sb.append("{\"id\":\"x").append(i).append("\",\"text\":\"wrong type\"}\n");
        case 11 -> sb.append("\n   \n");
        case 13 -> sb.append("{\"id\":").append(i).append(",\"text\":\"crlf é 日本 😀\"}\r\n");
        case 17 -> sb.append("{\"id\":").append(from).append(",\"text\":\"record number ").append(from)
            .append(" with some padding text\"}\n"); // repeats this upload's first record
        default -> sb.append("{\"id\":").append(i).append(",\"text\":\"record number ").append(i)
            .append(" with some padding text\"}\n");
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Submission ids of the archive uploads of {@link #submitParallelFixture}, and their content CID. */
  static final Map<String, String> ARCHIVES = new java.util.concurrent.ConcurrentHashMap<>();

  static void submitParallelFixture(Setup s) throws IOException {
    submit(s, "ds-p", "q1", DataFormat.JSONL, "application/x-ndjson", jsonl(0, 50), SCHEMA);
    submit(s, "ds-p", "q2", DataFormat.JSONL, "application/x-ndjson", awkwardUpload(0, 3000), SCHEMA);
    submit(s, "ds-p", "q3", DataFormat.JSONL, "application/x-ndjson", awkwardUpload(2500, 4000), SCHEMA);
    submit(s, "ds-p", "q4", DataFormat.CSV, "text/csv", "id,text\n100000,row\n".getBytes(StandardCharsets.UTF_8), SCHEMA);
    submit(s, "ds-other", "q5", DataFormat.JSONL, "application/x-ndjson", awkwardUpload(0, 1000), SCHEMA);
    submit(s, "ds-csvp", "q6", DataFormat.CSV, "text/csv", awkwardCsv(0, 3000), SCHEMA);
    byte[] badHeader = ("id,id\n" + new String(awkwardCsv(0, 300), StandardCharsets.UTF_8).substring(8))
        .getBytes(StandardCharsets.UTF_8);
    submit(s, "ds-csvp", "q7", DataFormat.CSV, "text/csv", badHeader, SCHEMA);
    submit(s, "ds-parquet", "q8", DataFormat.PARQUET, "application/vnd.apache.parquet", parquet(3000), SCHEMA);
    // Archives of awkward files (overlapping, so records repeat across entries and uploads), a directory and an entry
    // of another format; between them a zip whose last file is a zip bomb, rejected whole with nothing stored.
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("part/", new byte[0]);
    for (int i = 0; i < 6; i++) {
      files.put("part/" + i + ".jsonl", awkwardUpload(i * 300, i * 300 + 500));
      if (i == 2) {
        files.put("readme.csv", "id,text\n1,x\n".getBytes(StandardCharsets.UTF_8));
      }
    }
    ARCHIVES.put("q9", submit(s, "ds-arch", "q9", DataFormat.JSONL, "application/zip", zip(files), SCHEMA).cid());
    Map<String, byte[]> bomb = new java.util.LinkedHashMap<>(files);
    bomb.put("part/9.jsonl", new byte[2 << 20]);
    submit(s, "ds-arch", "q10", DataFormat.JSONL, "application/zip", zip(bomb), SCHEMA);
    files.remove("part/");
    files.put("late.jsonl", awkwardUpload(1700, 2600));
    ARCHIVES.put("q11", submit(s, "ds-arch", "q11", DataFormat.JSONL, "application/x-tar", tar(files), SCHEMA).cid());
  }

  private static final Instant FIXED_TIME = Instant.parse("2026-01-01T00:00:00Z");

  static byte[] zip(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        var entry = new java.util.zip.ZipEntry(e.getKey());
        entry.setTime(FIXED_TIME.toEpochMilli()); // the same bytes, so the same CID, in every setup
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] tar(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        entry.setModTime(FIXED_TIME.toEpochMilli());
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /**
   * A Parquet upload of many small row groups: every 13th row has no text (a schema mismatch, rejected with its row
   * number), every 17th repeats row 1 (a duplicate within the upload).
   */
  static byte[] parquet(int rows) throws IOException {
    org.apache.parquet.schema.MessageType schema = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
        "message row { required int64 id; optional binary text (STRING); }");
    Path file = Files.createTempFile(dir, "upload", ".parquet");
    Files.delete(file);
    var groups = new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
    try (var writer = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
            new org.apache.parquet.io.LocalOutputFile(file))
        .withConf(new org.apache.parquet.conf.PlainParquetConfiguration()).withType(schema)
        .withRowGroupSize(4096L).withPageSize(1024).build()) {
      for (int i = 1; i <= rows; i++) {
        int id = i % 17 == 0 ? 1 : i;
        var g = groups.newGroup().append("id", (long) id);
        if (i % 13 != 0) {
          g.append("text", "parquet row " + id + " with some padding text");
        }
        writer.write(g);
      }
    }
    return Files.readAllBytes(file);
  }

  /** CSV whose records a cut could split wrongly: quoted newlines, doubled quotes, bad rows, blank lines, CRLF. */
  static byte[] awkwardCsv(int from, int to) {
    StringBuilder sb = new StringBuilder("id,text\n");
    for (int i = from; i < to; i++) {
      switch (i % 11) {
        case 2 -> sb.append(i).append(",\"two\nlines and a \"\"quote\"\"\"\n");
        case 5 -> sb.append(i).append(",too,many\n");
        case 7 -> sb.append("\n");
        case 9 -> sb.append(i).append(",\"crlf é\r\n日本\"\r\n");
        case 10 -> sb.append(from).append(",row ").append(from).append('\n'); // repeats the first row's value
        // Most rows hold a quoted newline, so a cut that ignored quotes would land inside one.
        default -> sb.append(i).append(",\"row\n").append(i).append("\"\n");
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static IngestionJobOptions parseOptions(String group, int parsers) {
    return new IngestionJobOptions(Duration.ofMillis(300), 1, 3, Duration.ofMillis(200), group, parsers, 1, 8 * 1024);
  }

  /** The three tables as comparable sets (everything but the times). */
  static Map<String, Set<String>> tables(Setup s) throws IOException {
    Map<String, Set<String>> out = new HashMap<>();
    Set<String> records = new HashSet<>();
    rows(s, TableModel.INGEST_RECORDS.identifier()).forEach(r -> records.add(String.join(" | ",
        (String) r.getField("record_cid"), (String) r.getField("submission_id"), (String) r.getField("dataset_id"),
        (String) r.getField("position"), (String) r.getField("record_json"))));
    Set<String> rejections = new HashSet<>();
    rows(s, TableModel.INGEST_REJECTIONS.identifier()).forEach(r -> rejections.add(String.join(" | ",
        (String) r.getField("submission_id"), (String) r.getField("position"), (String) r.getField("reason_code"),
        (String) r.getField("reason"), String.valueOf(r.getField("record_ordinal")),
        String.valueOf(r.getField("line_number")), String.valueOf(r.getField("byte_offset")))));
    Set<String> statuses = new HashSet<>();
    rows(s, TableModel.INGEST_SUBMISSIONS.identifier()).forEach(r -> statuses.add(String.join(" | ",
        (String) r.getField("submission_id"), (String) r.getField("status"),
        String.valueOf(r.getField("accepted_records")), String.valueOf(r.getField("rejected_records")),
        String.valueOf(r.getField("duplicate_records")))));
    out.put("records", records);
    out.put("rejections", rejections);
    out.put("statuses", statuses);
    return out;
  }

  @Test
  void parallelParsingOfSplitUploadsGivesTheTablesOfTheSequentialJob() throws Exception {
    Setup sequential = setup("parse-1");
    Setup parallel = setup("parse-2");
    submitParallelFixture(sequential);
    submitParallelFixture(parallel);

    JobClient job = start(sequential, parseOptions("parse-1", 1));
    try {
      awaitStatuses(sequential, 11);
    } finally {
      job.cancel().get();
    }
    int opensBefore = OPENS.get();
    Map<String, Integer> archiveOpensBefore = new HashMap<>();
    ARCHIVES.forEach((id, cid) -> archiveOpensBefore.put(id, OPENS_BY_CID.get(cid).get()));
    // 2 KB chunks: each 8 KB range travels as several, and the dedup step puts them back in order.
    job = start(parallel, parseOptions("parse-2", 2), 2048);
    try {
      awaitStatuses(parallel, 11);
      // q10 was rejected from its runs' checks, before anything of it was emitted: no restart to discard rows.
      assertThat(failureHistory(job)).as("the job's failures").isEmpty();
    } finally {
      job.cancel().get();
    }
    // q2, q3, q5, q6 and q7 (~20 KB to ~225 KB) were cut into 8 KB ranges, q8 into runs of row groups of 8 KB, each
    // read on its own.
    assertThat(OPENS.get() - opensBefore).as("content opens with ranges").isGreaterThan(40);
    // The sequential job opens an archive about four times (check and parse); in runs of files, each run is opened
    // for its check and its parse.
    ARCHIVES.forEach((id, cid) -> {
      int sequentialOpens = archiveOpensBefore.get(id);
      assertThat(OPENS_BY_CID.get(cid).get() - sequentialOpens).as(id + " opened in runs")
          .isGreaterThan(3 * sequentialOpens);
    });

    Map<String, Set<String>> expected = tables(sequential);
    Map<String, Set<String>> actual = tables(parallel);
    assertThat(expected.get("records")).hasSizeGreaterThan(4000);
    assertThat(expected.get("rejections")).hasSizeGreaterThan(100)
        .anyMatch(r -> r.startsWith("q10 |  | ARCHIVE_COMPRESSION_RATIO | Archive entry 'part/9.jsonl'"))
        .anyMatch(r -> r.startsWith("q9 | entry readme.csv") && r.contains("UNSUPPORTED_ENTRY"))
        .anyMatch(r -> r.startsWith("q11 | entry part/3.jsonl line "));
    assertThat(expected.get("statuses")).hasSize(11)
        .anyMatch(st -> st.startsWith("q8 | ingested") && !st.endsWith(" | 0"))
        .anyMatch(st -> st.startsWith("q9 | ingested") && !st.endsWith(" | 0"))
        .anyMatch(st -> st.equals("q10 | rejected | 0 | 0 | 0"))
        .anyMatch(st -> st.startsWith("q11 | ingested") && !st.endsWith(" | 0"))
        .anyMatch(st -> st.startsWith("q3 | ingested") && !st.endsWith(" | 0"))
        .anyMatch(st -> st.startsWith("q6 | ingested") && !st.endsWith(" | 0"))
        .anyMatch(st -> st.startsWith("q7 | rejected"));
    assertThat(actual.get("statuses")).isEqualTo(expected.get("statuses"));
    assertThat(actual.get("rejections")).isEqualTo(expected.get("rejections"));
    assertThat(actual.get("records")).isEqualTo(expected.get("records"));
  }

  @Test
  void aRangeFailingMidwayRecoversExactlyOnce() throws Exception {
    Setup s = setup("parse-eo");
    int opensWithoutFailure = 0;
    for (int i = 0; i < 4; i++) {
      byte[] upload = jsonl(i * 2000, (i + 1) * 2000);
      submit(s, "ds-peo", "peo-" + i, DataFormat.JSONL, "application/x-ndjson", upload, SCHEMA);
      opensWithoutFailure += 1 + io.ledgerlake.ingestion.format.LineRanges.split(
          new ByteArrayInputStream(upload), 8 * 1024).size();
    }
    OPENS.set(0);
    INJECTED.set(0);
    // Opens: the split of peo-0, then its ~20 ranges: the 8th open is a range read in the middle of peo-0, after
    // some of its ranges may have been emitted.
    failOnOpen = 8;
    JobClient job = start(s, parseOptions("parse-eo", 2), 2048);
    try {
      List<Record> statuses = awaitStatuses(s, 4);
      assertThat(INJECTED.get()).as("the failure was injected once").isEqualTo(1);
      assertThat(failureHistory(job)).as("the job's failures").isNotEmpty();
      assertThat(OPENS.get()).as("the job restarted and read the log again").isGreaterThan(opensWithoutFailure);
      assertThat(statuses).hasSize(4).allMatch(r -> r.getField("status").equals("ingested")
          && r.getField("accepted_records").equals(2000L));
      List<Record> records = rows(s, TableModel.INGEST_RECORDS.identifier());
      Set<String> cids = new HashSet<>();
      records.forEach(r -> cids.add((String) r.getField("record_cid")));
      assertThat(records).hasSize(8000);
      assertThat(cids).hasSize(8000);
    } finally {
      failOnOpen = -1;
      job.cancel().get();
    }
  }

  @Test
  void aRangeThatAlwaysFailsQuarantinesItsSubmissionAndTheDatasetGoesOn() throws Exception {
    Setup s = setup("parse-poison");
    SubmissionEvent bad = submit(s, "ds-pp", "pp1", DataFormat.JSONL, "application/x-ndjson", jsonl(0, 2000), SCHEMA);
    POISONED_RANGES.add(bad.cid());
    submit(s, "ds-pp", "pp2", DataFormat.JSONL, "application/x-ndjson", jsonl(5000, 5100), SCHEMA);
    try {
      JobClient job = start(s, parseOptions("parse-poison", 2), 2048);
      try {
        Map<String, Record> latest = new HashMap<>();
        awaitStatuses(s, 2).forEach(r -> latest.put((String) r.getField("submission_id"), r));
        assertThat(latest.get("pp1").getField("status")).isEqualTo("failed");
        assertThat((String) latest.get("pp1").getField("error")).contains("quarantined");
        assertThat(latest.get("pp2").getField("status")).isEqualTo("ingested");
        assertThat(latest.get("pp2").getField("accepted_records")).isEqualTo(100L);
        assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
      } finally {
        job.cancel().get();
      }
      List<Record> records = rows(s, TableModel.INGEST_RECORDS.identifier());
      assertThat(records).hasSize(100).allMatch(r -> r.getField("submission_id").equals("pp2"));
    } finally {
      POISONED_RANGES.clear();
    }
  }
}
