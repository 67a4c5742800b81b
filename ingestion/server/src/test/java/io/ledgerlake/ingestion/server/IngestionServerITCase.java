package io.ledgerlake.ingestion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.kafka.EmbeddedKafkaBroker;
import io.ledgerlake.ingestion.kafka.SubmissionLog;
import io.ledgerlake.ingestion.kafka.SubmissionLogReader;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.RejectionCode;
import io.ledgerlake.ingestion.status.SubmissionProgress;
import io.ledgerlake.ingestion.status.SubmissionState;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import io.ledgerlake.ingestion.testing.FileContentStore;
import io.ledgerlake.ingestion.testing.Sha256RawCids;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload API over real loopback HTTP with a real embedded Kafka broker. The content store is the test-only
 * {@link FileContentStore} (the content module is not part of this build yet).
 */
class IngestionServerITCase {
  @TempDir
  static Path dir;

  static EmbeddedKafkaBroker broker;
  static String topic = "submissions-it";

  @BeforeAll
  static void startBroker() throws IOException {
    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Duration.ofSeconds(60));
    SubmissionLog.ensureTopic(broker.bootstrapServers(), topic, 2, Optional.of((short) 1), Map.of("flush.messages", "1"));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** A server with its own data dir; the caller closes both returned resources. */
  record Running(IngestionServer server, SubmissionLog log, FileContentStore content, Path dataDir)
      implements AutoCloseable {
    ApiClient client() {
      return new ApiClient(server.baseUri());
    }

    @Override
    public void close() {
      server.close();
      log.close();
    }
  }

  static Running start(Path dataDir, Map<String, String> extra) throws IOException {
    return start(dataDir, extra, SubmissionStatusSource.none());
  }

  static Running start(Path dataDir, Map<String, String> extra, SubmissionStatusSource status) throws IOException {
    return start(dataDir, extra, status, java.time.Clock.systemUTC());
  }

  static Running start(Path dataDir, Map<String, String> extra, SubmissionStatusSource status, java.time.Clock clock)
      throws IOException {
    IngestionOptions options = IngestionOptions.defaultOptions()
        .with(IngestionOptions.HTTP_PORT, 0)
        .with(IngestionOptions.KAFKA_TOPIC, topic)
        .with(IngestionOptions.KAFKA_SEND_TIMEOUT, "PT20S");
    for (Map.Entry<String, String> e : extra.entrySet()) {
      options = options.with(e.getKey(), e.getValue());
    }
    FileContentStore content = new FileContentStore(dataDir.resolve("content"));
    SubmissionLog log = SubmissionLog.connect(broker.bootstrapServers(), options);
    IngestionServer server = IngestionServer.builder().options(options).dataDir(dataDir).contentSink(content)
        .contentSource(content).submissionLog(log).statusSource(status).clock(clock).start();
    return new Running(server, log, content, dataDir);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertError(ApiClient.Response r, int status, String code) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
    assertThat(r.json().get("code").asText()).isEqualTo(code);
    assertThat(r.json().get("message").asText()).isNotBlank();
    assertThat(r.raw().headers().firstValue("Content-Type")).contains("application/json");
  }

  private static List<SubmissionEvent> eventsFor(String datasetId, int expected) {
    try (SubmissionLogReader reader = new SubmissionLogReader(broker.bootstrapServers(), topic,
        "it-" + UUID.randomUUID())) {
      List<SubmissionEvent> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(300)).stream().map(SubmissionLogReader.Entry::event)
            .filter(e -> e.datasetId().equals(datasetId)).forEach(out::add);
      }
      return out;
    }
  }

  @Test
  void uploadIsStoredLoggedAndReportedAndDuplicatesAreRecognized() throws Exception {
    DevKeyFile alice = DevKeyFile.generate(dir.resolve("keys/alice-1.json"));
    try (Running running = start(dir.resolve("server-1"), Map.of())) {
      ApiClient api = running.client().login(alice);
      String datasetId = api.createDataset("{\"name\":\"reviews\",\"format\":\"jsonl\",\"labelSchema\":{\"l\":1}}");
      byte[] content = utf8("{\"id\":1,\"text\":\"good\"}\n{\"id\":2,\"text\":\"bad\"}\nnot json\n");

      ApiClient.Response accepted = api.upload(datasetId, "application/x-ndjson", content);
      assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(202);
      String submissionId = accepted.json().get("submissionId").asText();
      assertThat(accepted.json().get("cid").asText()).isEqualTo(Sha256RawCids.cidOf(content));
      assertThat(accepted.json().get("byteCount").asLong()).isEqualTo(content.length);
      assertThat(accepted.json().get("duplicate").asBoolean()).isFalse();
      assertThat(accepted.header("Location")).isEqualTo("/v1/submissions/" + submissionId);
      // The content is durable under its CID before the answer.
      assertThat(Files.readAllBytes(running.content().pathOf(Sha256RawCids.cidOf(content)))).isEqualTo(content);

      // Schema inferred from the first upload and stored with the dataset.
      JsonNode dataset = api.get("/v1/datasets/" + datasetId).json();
      assertThat(dataset.path("schema").path("fields").toString())
          .isEqualTo("[{\"name\":\"id\",\"type\":\"long\",\"required\":true},"
              + "{\"name\":\"text\",\"type\":\"string\",\"required\":true}]");

      // The event is on the submission log, with the schema, before the 202.
      List<SubmissionEvent> events = eventsFor(datasetId, 1);
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.submissionId()).isEqualTo(submissionId);
        assertThat(e.cid()).isEqualTo(Sha256RawCids.cidOf(content));
        assertThat(e.contributor()).isEqualTo(alice.address().toLowerCase());
        assertThat(e.schema().fields()).hasSize(2);
        assertThat(e.fileName()).isEqualTo("data");
      });

      ApiClient.Response status = api.get("/v1/submissions/" + submissionId);
      assertThat(status.status()).isEqualTo(200);
      assertThat(status.json().get("status").asText()).isEqualTo("received");
      assertThat(status.json().get("counts").get("accepted").asLong()).isZero();

      ApiClient.Response duplicate = api.upload(datasetId, "application/x-ndjson", content);
      assertThat(duplicate.status()).isEqualTo(200);
      assertThat(duplicate.json().get("duplicate").asBoolean()).isTrue();
      assertThat(duplicate.json().get("submissionId").asText()).isEqualTo(submissionId);

      // Chunked (no Content-Length) upload of other content streams through as well.
      byte[] other = utf8("{\"id\":3,\"text\":\"meh\"}\n");
      ApiClient.Response chunked = api.send(api.request("/v1/datasets/" + datasetId + "/uploads")
          .header("Content-Type", "application/x-ndjson; charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(other))));
      assertThat(chunked.status()).isEqualTo(202);
      assertThat(eventsFor(datasetId, 2)).hasSize(2);
    }
  }

  @Test
  void authPermissionsAndFormatErrorsAreJsonWithStatus() throws Exception {
    DevKeyFile owner = DevKeyFile.generate(dir.resolve("keys/owner-2.json"));
    DevKeyFile friend = DevKeyFile.generate(dir.resolve("keys/friend-2.json"));
    DevKeyFile stranger = DevKeyFile.generate(dir.resolve("keys/stranger-2.json"));
    try (Running running = start(dir.resolve("server-2"), Map.of())) {
      ApiClient ownerApi = running.client().login(owner);
      String datasetId = ownerApi.createDataset("{\"name\":\"private\",\"format\":\"csv\",\"visibility\":\"private\","
          + "\"submitters\":{\"mode\":\"allowlist\",\"allowlist\":[\"" + friend.address() + "\"]},"
          + "\"schema\":{\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"required\":true}]}}");
      byte[] csv = utf8("a\n1\n2\n");

      ApiClient anonymous = running.client();
      assertError(anonymous.upload(datasetId, "text/csv", csv), 401, "TOKEN_MISSING");

      ApiClient strangerApi = running.client().login(stranger);
      assertError(strangerApi.upload(datasetId, "text/csv", csv), 403, "FORBIDDEN");
      assertError(strangerApi.get("/v1/datasets/" + datasetId), 404, "NOT_FOUND");

      ApiClient friendApi = running.client().login(friend);
      assertError(friendApi.upload(datasetId, "application/x-ndjson", csv), 415, "UNSUPPORTED_MEDIA_TYPE");
      ApiClient.Response ok = friendApi.upload(datasetId, "text/csv", csv);
      assertThat(ok.status()).isEqualTo(202);
      assertThat(friendApi.get("/v1/submissions/" + ok.json().get("submissionId").asText()).status()).isEqualTo(200);
      assertError(strangerApi.get("/v1/submissions/" + ok.json().get("submissionId").asText()), 404, "NOT_FOUND");

      // Logout revokes the token; it is then rejected as revoked.
      assertThat(friendApi.postJson("/v1/auth/logout", "{}").status()).isEqualTo(204);
      ApiClient.Response revoked = friendApi.upload(datasetId, "text/csv", utf8("a\n3\n"));
      assertError(revoked, 401, "TOKEN_REVOKED");
      assertThat(revoked.header("WWW-Authenticate")).isEqualTo("Bearer");

      // A replayed SIWE login is refused.
      ApiClient.Response challenge = anonymous.postJson("/v1/auth/challenge",
          "{\"address\":\"" + owner.address() + "\"}");
      String message = challenge.json().get("message").asText();
      String login = Json.MAPPER.createObjectNode().put("message", message).put("signature", owner.sign(message))
          .toString();
      assertThat(anonymous.postJson("/v1/auth/login", login).status()).isEqualTo(200);
      assertError(anonymous.postJson("/v1/auth/login", login), 401, "SIWE_NONCE_UNKNOWN");

      assertError(ownerApi.postJson("/v1/datasets", "{\"name\":\"x\",\"format\":\"xml\"}"), 400, "BAD_REQUEST");
      assertError(ownerApi.postJson("/v1/datasets", "{not json"), 400, "BAD_REQUEST");
      assertError(ownerApi.get("/v1/nowhere"), 404, "NOT_FOUND");
      assertError(ownerApi.get("/v1/submissions/sub-doesnotexist0"), 404, "NOT_FOUND");
    }
  }

  @Test
  void limitsAnswer413And429() throws Exception {
    DevKeyFile alice = DevKeyFile.generate(dir.resolve("keys/alice-3.json"));
    try (Running running = start(dir.resolve("server-3"), Map.of(
        IngestionOptions.MAX_UPLOAD_BYTES, "2048",
        IngestionOptions.RATE_UPLOADS_PER_MINUTE, "2"))) {
      ApiClient api = running.client().login(alice);
      String datasetId = api.createDataset("{\"name\":\"docs\",\"format\":\"document\"}");
      byte[] big = new byte[4096];
      java.util.Arrays.fill(big, (byte) 'x');
      assertError(api.upload(datasetId, "text/plain", big), 413, "UPLOAD_TOO_LARGE");
      // Without Content-Length the limit is enforced while streaming.
      ApiClient.Response chunked = api.send(api.request("/v1/datasets/" + datasetId + "/uploads")
          .header("Content-Type", "text/plain")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
      assertError(chunked, 413, "UPLOAD_TOO_LARGE");
      // Rate: the Content-Length rejection happened before the upload was admitted; the chunked one counted.
      assertThat(api.upload(datasetId, "text/markdown", utf8("# ok")).status()).isEqualTo(202);
      ApiClient.Response limited = api.upload(datasetId, "text/plain", utf8("fourth"));
      assertError(limited, 429, "RATE_LIMITED");
      assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    }
  }

  @Test
  void firstUploadWithoutAnyValidRecordCannotDefineTheSchema() throws Exception {
    DevKeyFile alice = DevKeyFile.generate(dir.resolve("keys/alice-4.json"));
    try (Running running = start(dir.resolve("server-4"), Map.of())) {
      ApiClient api = running.client().login(alice);
      String datasetId = api.createDataset("{\"name\":\"x\",\"format\":\"jsonl\"}");
      assertError(api.upload(datasetId, "application/x-ndjson", utf8("nope\n[1]\n")), 422, "INVALID_SCHEMA");
      assertError(api.upload(datasetId, "application/zip", utf8("not a zip")), 422, "NOT_AN_ARCHIVE");
    }
  }

  @Test
  void resumableUploadSurvivesABrokenConnectionAndAServerRestart() throws Exception {
    DevKeyFile alice = DevKeyFile.generate(dir.resolve("keys/alice-5.json"));
    Path dataDir = dir.resolve("server-5");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      lines.append("{\"id\":").append(i).append(",\"text\":\"line ").append(i).append("\"}\n");
    }
    byte[] content = utf8(lines.toString());
    String uploadPath;
    String datasetId;
    String token;
    int firstPart = content.length / 3;
    try (Running running = start(dataDir, Map.of())) {
      ApiClient api = running.client().login(alice);
      token = api.token;
      datasetId = api.createDataset("{\"name\":\"big\",\"format\":\"jsonl\"}");

      ApiClient.Response options = api.send(api.request("/v1/datasets/" + datasetId + "/uploads")
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
      assertThat(options.header("Tus-Version")).isEqualTo("1.0.0");
      assertThat(options.header("Tus-Extension")).contains("creation");

      ApiClient.Response created = api.send(api.request("/v1/datasets/" + datasetId + "/uploads")
          .header("Tus-Resumable", "1.0.0")
          .header("Upload-Length", Long.toString(content.length))
          .header("Upload-Metadata", "filename " + b64("big.jsonl") + ",filetype " + b64("application/x-ndjson"))
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
      uploadPath = created.header("Location");
      assertThat(uploadPath).startsWith("/v1/uploads/up-");

      // Send a PATCH that promises the whole file but dies after the first third.
      URI base = running.server().baseUri();
      try (Socket socket = new Socket(base.getHost(), base.getPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(utf8("PATCH " + uploadPath + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\n"
            + "Authorization: Bearer " + token + "\r\nContent-Type: application/offset+octet-stream\r\n"
            + "Upload-Offset: 0\r\nContent-Length: " + content.length + "\r\n\r\n"));
        out.write(content, 0, firstPart);
        out.flush();
      }
      assertThat(waitForOffset(api, uploadPath, firstPart)).isEqualTo(firstPart);

      ApiClient.Response conflict = api.send(api.request(uploadPath).header("Tus-Resumable", "1.0.0")
          .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", "0")
          .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content)));
      assertError(conflict, 409, "CONFLICT");
      assertError(api.send(api.request(uploadPath).header("Content-Type", "application/offset+octet-stream")
          .header("Upload-Offset", Integer.toString(firstPart))
          .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[1]))), 412, "TUS_VERSION");
    }

    // Restart the server on the same data dir: token, session and offset are still there.
    try (Running running = start(dataDir, Map.of())) {
      ApiClient api = running.client();
      api.token = token;
      assertThat(waitForOffset(api, uploadPath, firstPart)).isEqualTo(firstPart);
      ApiClient.Response done = api.send(api.request(uploadPath).header("Tus-Resumable", "1.0.0")
          .header("Content-Type", "application/offset+octet-stream")
          .header("Upload-Offset", Integer.toString(firstPart))
          .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(
              java.util.Arrays.copyOfRange(content, firstPart, content.length))));
      assertThat(done.status()).as(done.raw().body()).isEqualTo(204);
      assertThat(done.header("Upload-Offset")).isEqualTo(Integer.toString(content.length));
      String submissionId = done.header("LedgerLake-Submission-Id");
      assertThat(done.header("LedgerLake-Cid")).isEqualTo(Sha256RawCids.cidOf(content));

      JsonNode state = api.get(uploadPath).json();
      assertThat(state.path("submission").path("submissionId").asText()).isEqualTo(submissionId);
      assertThat(eventsFor(datasetId, 1)).singleElement()
          .satisfies(e -> {
            assertThat(e.byteCount()).isEqualTo(content.length);
            assertThat(e.fileName()).isEqualTo("big.jsonl");
          });
      // The same content again, directly: a duplicate of the resumable submission.
      ApiClient.Response again = api.upload(datasetId, "application/x-ndjson", content);
      assertThat(again.json().get("duplicate").asBoolean()).isTrue();
      assertThat(again.json().get("submissionId").asText()).isEqualTo(submissionId);
    }
  }

  @Test
  void aLongPatchConfirmsItsBytesAsTheyArriveAndItsContentIsImportedMeanwhile() throws Exception {
    DevKeyFile alice = DevKeyFile.generate(dir.resolve("keys/alice-long.json"));
    StringBuilder lines = new StringBuilder();
    for (int i = 0; lines.length() < (20 << 20); i++) {
      lines.append("{\"id\":").append(i).append(",\"text\":\"line ").append(i).append(" of a long upload\"}\n");
    }
    byte[] content = utf8(lines.toString());
    int firstPart = 10 << 20;
    try (Running running = start(dir.resolve("server-long"), Map.of())) {
      ApiClient api = running.client().login(alice);
      String datasetId = api.createDataset("{\"name\":\"long\",\"format\":\"jsonl\"}");
      ApiClient.Response created = api.send(api.request("/v1/datasets/" + datasetId + "/uploads")
          .header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(content.length))
          .header("Upload-Metadata", "filetype " + b64("application/x-ndjson"))
          .POST(HttpRequest.BodyPublishers.noBody()));
      String uploadPath = created.header("Location");
      URI base = running.server().baseUri();
      try (Socket socket = new Socket(base.getHost(), base.getPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(utf8("PATCH " + uploadPath + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\n"
            + "Authorization: Bearer " + api.token + "\r\nContent-Type: application/offset+octet-stream\r\n"
            + "Upload-Offset: 0\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n"));
        out.write(content, 0, firstPart);
        out.flush();
        // The PATCH is still open: the first 8 MiB are synced and confirmed already.
        long offset = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (offset == 0 && System.nanoTime() < deadline) {
          offset = Long.parseLong(api.send(api.request(uploadPath).header("Tus-Resumable", "1.0.0")
              .method("HEAD", HttpRequest.BodyPublishers.noBody())).header("Upload-Offset"));
          Thread.sleep(50);
        }
        assertThat(offset).isBetween(8L << 20, (long) firstPart);
        out.write(content, firstPart, content.length - firstPart);
        out.flush();
        String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(response).startsWith("HTTP/1.1 204")
            .containsIgnoringCase("Upload-Offset: " + content.length)
            // The content store has exactly the bytes sent, imported while they arrived.
            .contains(Sha256RawCids.cidOf(content));
      }
      assertThat(eventsFor(datasetId, 1)).singleElement()
          .satisfies(e -> assertThat(e.byteCount()).isEqualTo(content.length));
    }
  }

  private static long waitForOffset(ApiClient api, String uploadPath, long expected) throws Exception {
    long offset = -1;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      ApiClient.Response head = api.send(api.request(uploadPath).header("Tus-Resumable", "1.0.0")
          .method("HEAD", HttpRequest.BodyPublishers.noBody()));
      offset = Long.parseLong(head.header("Upload-Offset"));
      if (offset == expected) {
        return offset;
      }
      Thread.sleep(100);
    }
    return offset;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(utf8(s));
  }

  @Test
  void statusReportsWhatTheIngestionJobRecorded() throws Exception {
    // Hand-written stand-in for the lakehouse-backed status source (ingest.submissions does not exist yet).
    Map<String, SubmissionProgress> reported = new java.util.concurrent.ConcurrentHashMap<>();
    DevKeyFile alice = DevKeyFile.generate(dir.resolve("keys/alice-7.json"));
    try (Running running = start(dir.resolve("server-7"), Map.of(), id -> Optional.ofNullable(reported.get(id)))) {
      ApiClient api = running.client().login(alice);
      String datasetId = api.createDataset("{\"name\":\"s\",\"format\":\"jsonl\"}");
      String submissionId = api.upload(datasetId, "application/x-ndjson", utf8("{\"a\":1}\nbad\n"))
          .json().get("submissionId").asText();
      assertThat(api.get("/v1/submissions/" + submissionId).json().get("status").asText()).isEqualTo("received");
      reported.put(submissionId, new SubmissionProgress(SubmissionState.INGESTED, 1, 1, 0, List.of(
          new Rejection(RecordPosition.ofLine("", 2, 2, 8), RejectionCode.MALFORMED_JSON, "Malformed JSON: x")), ""));
      JsonNode status = api.get("/v1/submissions/" + submissionId).json();
      assertThat(status.get("status").asText()).isEqualTo("ingested");
      assertThat(status.get("counts").toString()).isEqualTo("{\"accepted\":1,\"rejected\":1,\"duplicate\":0}");
      assertThat(status.get("rejectionSample").toString()).isEqualTo("[{\"entry\":\"\",\"line\":2,\"byteOffset\":8,"
          + "\"record\":2,\"code\":\"MALFORMED_JSON\",\"reason\":\"Malformed JSON: x\"}]");
      assertThat(status.has("failure")).isFalse();
    }
  }

  @Test
  void abandonedResumableUploadsExpire() throws Exception {
    io.ledgerlake.ingestion.testing.MutableClock clock =
        new io.ledgerlake.ingestion.testing.MutableClock(java.time.Instant.now());
    DevKeyFile alice = DevKeyFile.generate(dir.resolve("keys/alice-8.json"));
    try (Running running = start(dir.resolve("server-8"), Map.of(IngestionOptions.UPLOAD_SESSION_TTL, "PT1H"),
        SubmissionStatusSource.none(), clock)) {
      ApiClient api = running.client().login(alice);
      String datasetId = api.createDataset("{\"name\":\"t\",\"format\":\"document\"}");
      String first = createTusUpload(api, datasetId, 100);
      assertThat(Files.exists(running.dataDir().resolve("uploads" + first.substring(first.lastIndexOf('/'))
          + ".bin"))).isTrue();
      clock.advance(Duration.ofMinutes(61));
      createTusUpload(api, datasetId, 100); // creating a session purges expired ones
      ApiClient.Response head = api.send(api.request(first).header("Tus-Resumable", "1.0.0")
          .method("HEAD", HttpRequest.BodyPublishers.noBody()));
      assertThat(head.status()).isEqualTo(404);
      assertThat(Files.exists(running.dataDir().resolve("uploads" + first.substring(first.lastIndexOf('/'))
          + ".bin"))).isFalse();
    }
  }

  private static String createTusUpload(ApiClient api, String datasetId, long length) throws Exception {
    ApiClient.Response created = api.send(api.request("/v1/datasets/" + datasetId + "/uploads")
        .header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(length))
        .header("Upload-Metadata", "filetype " + b64("text/plain"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.header("Location");
  }

  @Test
  void openApiDocumentsEveryRoute() throws Exception {
    try (Running running = start(dir.resolve("server-6"), Map.of())) {
      JsonNode doc = running.client().get("/openapi.json").json();
      assertThat(doc.path("openapi").asText()).startsWith("3.");
      Set<String> documented = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
        Map.Entry<String, JsonNode> path = paths.next();
        for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
          String method = methods.next();
          if (!method.equals("parameters")) {
            documented.add(method.toUpperCase() + " " + path.getKey());
          }
        }
      }
      assertThat(documented).containsExactlyInAnyOrderElementsOf(HttpApi.ROUTES);
    }
  }

}
