package io.ledgerlake.labeling.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.kafka.EmbeddedKafkaBroker;
import io.ledgerlake.ingestion.kafka.SubmissionLog;
import io.ledgerlake.ingestion.server.IngestionServer;
import io.ledgerlake.ingestion.testing.FileContentStore;
import io.ledgerlake.ingestion.testing.MutableClock;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.labeling.stage.AnnotationTable;
import io.ledgerlake.labeling.stage.ConsensusJob;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The annotation endpoints over real loopback HTTP: the upload API with the labeling extension, a real embedded Kafka
 * broker (the API needs its submission log), and a SQLite-backed Iceberg lakehouse. The content store is the test-only
 * file store of ingestion (the content module is not a dependency here). One server for the class; each test uses its
 * own dataset.
 */
class AnnotationApiITCase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SINGLE = "{\"version\":1,\"kind\":\"single_label\",\"classes\":[\"pos\",\"neg\",\"neutral\"]}";

  @TempDir static Path dir;
  static EmbeddedKafkaBroker broker;
  static SubmissionLog log;
  static Lakehouse lakehouse;
  static IngestionServer server;
  static MutableClock clock;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final Map<String, String> TOKENS = new HashMap<>();
  static final List<DevKeyFile> KEYS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Duration.ofSeconds(60));
    SubmissionLog.ensureTopic(broker.bootstrapServers(), "submissions", 1, Optional.of((short) 1), Map.of());
    IngestionOptions options = IngestionOptions.defaultOptions().with(IngestionOptions.HTTP_PORT, 0)
        .with(IngestionOptions.KAFKA_TOPIC, "submissions").with(IngestionOptions.HTTP_THREADS, 32);
    log = SubmissionLog.connect(broker.bootstrapServers(), options);
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir.resolve("lake")));
    lakehouse.init();
    clock = new MutableClock(Instant.now());
    Path ingestionDir = dir.resolve("ingestion");
    LabelingOptions labeling = LabelingOptions.fromMap(Map.of(LabelingOptions.ANNOTATION_OVERLAP, "3",
        LabelingOptions.ANNOTATION_LEASE, "PT10M"));
    FileContentStore content = new FileContentStore(dir.resolve("content"));
    server = IngestionServer.builder().options(options).dataDir(ingestionDir).contentSink(content)
        .contentSource(content).submissionLog(log)
        .extension(AnnotationEndpoints.over(lakehouse, ingestionDir, labeling, clock)).start();
    for (int i = 0; i < 20; i++) {
      DevKeyFile key = DevKeyFile.generate(dir.resolve("key" + i + ".json"));
      KEYS.add(key);
      TOKENS.put(key.address(), login(key));
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    log.close();
    lakehouse.close();
    broker.close();
  }

  // ---- tests -------------------------------------------------------------------------------------------------

  @Test
  void tasksAnnotateReviewConsensus() throws Exception {
    DevKeyFile owner = KEYS.get(0);
    String ds = createDataset(owner, SINGLE);
    addRecords(ds, Map.of("cid-a", "Great product, contact me at jane.doe@example.com", "cid-b", "Terrible."));

    JsonNode tasks = get(KEYS.get(1), "/v1/datasets/" + ds + "/tasks?limit=5");
    assertThat(tasks.path("status").asInt()).isEqualTo(200);
    JsonNode list = tasks.path("body").path("tasks");
    assertThat(list).hasSize(2);
    assertThat(tasks.path("body").path("labelSchema").path("kind").asText()).isEqualTo("single_label");
    JsonNode a = list.get(0);
    assertThat(a.path("recordCid").asText()).isEqualTo("cid-a");
    assertThat(a.path("text").asText()).as("PII is redacted in what annotators see")
        .contains("[EMAIL]").doesNotContain("jane.doe@example.com");
    assertThat(a.path("redacted").asBoolean()).isTrue();
    assertThat(list.get(1).path("redacted").asBoolean()).isFalse();

    // answers by three annotators; the first carries time spent and is replayed
    String first = UUID.randomUUID().toString();
    JsonNode stored = annotate(KEYS.get(1), ds, first, "cid-a", List.of("pos"), 4200);
    assertThat(stored.path("status").asInt()).isEqualTo(201);
    assertThat(stored.path("body").path("annotator").asText()).isEqualTo(KEYS.get(1).address().toLowerCase());
    assertThat(stored.path("body").path("timeSpentMs").asLong()).isEqualTo(4200);
    JsonNode replay = annotate(KEYS.get(1), ds, first, "cid-a", List.of("pos"), 4200);
    assertThat(replay.path("status").asInt()).isEqualTo(200);
    assertThat(replay.path("body").path("replayed").asBoolean()).isTrue();
    JsonNode changed = annotate(KEYS.get(1), ds, first, "cid-a", List.of("neg"), 4200);
    assertThat(changed.path("status").asInt()).as("same id, other payload").isEqualTo(409);
    assertThat(annotate(KEYS.get(1), ds, UUID.randomUUID().toString(), "cid-a", List.of("neg"), 1)
        .path("status").asInt()).as("a second answer to the same record").isEqualTo(409);

    List<String> ids = new ArrayList<>(List.of(first));
    for (int k = 2; k <= 3; k++) {
      get(KEYS.get(k), "/v1/datasets/" + ds + "/tasks?limit=1");
      String id = UUID.randomUUID().toString();
      ids.add(id);
      assertThat(annotate(KEYS.get(k), ds, id, "cid-a", List.of(k == 3 ? "neg" : "pos"), 1000).path("status")
          .asInt()).isEqualTo(201);
    }
    assertThat(get(KEYS.get(4), "/v1/datasets/" + ds + "/tasks").path("body").path("tasks"))
        .as("cid-a is full (overlap 3); cid-b is held by the first annotator only").extracting(t -> t.path("recordCid").asText())
        .containsExactly("cid-b");

    // reviews: own answer refused; accept; replay; final decision refused; reject frees a slot; requeue adds one
    assertThat(review(KEYS.get(1), ds, ids.get(0), "accept").path("status").asInt()).isEqualTo(409);
    JsonNode accepted = review(owner, ds, ids.get(0), "accept");
    assertThat(accepted.path("status").asInt()).isEqualTo(201);
    assertThat(review(owner, ds, ids.get(0), "accept").path("body").path("replayed").asBoolean()).isTrue();
    assertThat(review(owner, ds, ids.get(0), "reject").path("status").asInt()).isEqualTo(409);
    assertThat(review(owner, ds, ids.get(2), "reject").path("status").asInt()).isEqualTo(201);
    assertThat(review(owner, ds, ids.get(1), "requeue").path("status").asInt()).isEqualTo(201);
    assertThat(review(owner, ds, ids.get(1), "maybe").path("status").asInt()).isEqualTo(400);
    List<String> forFifth = tasksOf(KEYS.get(5), ds);
    assertThat(forFifth).as("cid-a: 2 counted answers, target 4").containsExactly("cid-a", "cid-b");

    List<Annotation> all = new AnnotationTable(lakehouse).annotations(ds);
    assertThat(all).hasSize(3);
    assertThat(all).filteredOn(x -> x.annotationId().equals(first)).singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(Annotation.Status.ACCEPTED));
    ConsensusJob.Result consensus = new ConsensusJob(lakehouse, LabelingOptions.defaults()).run(ds);
    assertThat(consensus.byMethod().get(DatasetConsensus.Method.MAJORITY_VOTE).consensus().get("cid-a").label())
        .isEqualTo("pos");
  }

  @Test
  void concurrentAnnotatorsNeverExceedOverlapNorRepeat() throws Exception {
    String ds = createDataset(KEYS.get(0), SINGLE);
    Map<String, String> records = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      records.put("cid-c" + i, "text " + i);
    }
    addRecords(ds, records);
    int annotators = 16;
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(annotators);
    List<Future<?>> done = new ArrayList<>();
    for (int k = 1; k <= annotators; k++) {
      DevKeyFile key = KEYS.get(k);
      done.add(pool.submit(() -> {
        go.await();
        for (int round = 0; round < 10; round++) {
          List<String> mine = tasksOf(key, ds);
          if (mine.isEmpty()) {
            break;
          }
          for (String cid : mine) {
            String id = UUID.randomUUID().toString();
            JsonNode r = annotate(key, ds, id, cid, List.of("pos"), 10);
            if (r.path("status").asInt() == 201) {
              acknowledged.add(id);
            } else {
              failures.add(r.toString());
            }
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(failures).as("every reserved task could be answered").isEmpty();
    List<Annotation> stored = new AnnotationTable(lakehouse).annotations(ds);
    assertThat(stored).extracting(Annotation::annotationId).as("no acknowledged answer lost, none extra")
        .containsExactlyInAnyOrderElementsOf(acknowledged);
    Map<String, Set<String>> byRecord = new HashMap<>();
    for (Annotation a : stored) {
      assertThat(byRecord.computeIfAbsent(a.recordCid(), c -> new HashSet<>()).add(a.annotatorId()))
          .as("annotator %s answered %s twice", a.annotatorId(), a.recordCid()).isTrue();
    }
    assertThat(byRecord).hasSize(6);
    byRecord.forEach((cid, who) -> assertThat(who).as("overlap of %s", cid).hasSize(3));
  }

  @Test
  void expiredLeasesAreReissuedToOthers() throws Exception {
    String ds = createDataset(KEYS.get(0), "{\"version\":1,\"kind\":\"free_text\",\"maxLength\":20}");
    addRecords(ds, Map.of("cid-e", "x"));
    List<String> holders = new ArrayList<>();
    for (int k = 1; k <= 3; k++) {
      assertThat(tasksOf(KEYS.get(k), ds)).containsExactly("cid-e");
      holders.add(KEYS.get(k).address());
    }
    assertThat(tasksOf(KEYS.get(4), ds)).as("3 leases hold the record").isEmpty();
    clock.advance(Duration.ofMinutes(11));
    assertThat(tasksOf(KEYS.get(4), ds)).as("expired leases are reissued").containsExactly("cid-e");
    assertThat(tasksOf(KEYS.get(1), ds)).as("never the same record twice, even after expiry").isEmpty();
    assertThat(tasksOf(KEYS.get(5), ds)).containsExactly("cid-e");
    assertThat(tasksOf(KEYS.get(6), ds)).containsExactly("cid-e");
    assertThat(annotate(KEYS.get(4), ds, UUID.randomUUID().toString(), "cid-e", List.of(" a note "), 5)
        .path("body").path("values").get(0).asText()).isEqualTo("a note");
    JsonNode late = annotate(KEYS.get(1), ds, UUID.randomUUID().toString(), "cid-e", List.of("late"), 5);
    assertThat(late.path("status").asInt()).as("late answer after reissue").isEqualTo(409);
    assertThat(late.path("body").path("message").asText()).contains("expired").contains("fetch new tasks");
  }

  @Test
  void schemaViolationsAre400AndStoreNothing() throws Exception {
    String ds = createDataset(KEYS.get(0),
        "{\"version\":1,\"kind\":\"multi_label\",\"classes\":[\"toxic\",\"spam\",\"ok\"],\"minLabels\":1,"
            + "\"maxLabels\":2}");
    addRecords(ds, Map.of("cid-s", "buy now"));
    tasksOf(KEYS.get(1), ds);
    JsonNode unknown = annotate(KEYS.get(1), ds, "bad-1", "cid-s", List.of("toxic", "rude"), 1);
    assertThat(unknown.path("status").asInt()).isEqualTo(400);
    assertThat(unknown.path("body").path("message").asText()).contains("values[1]").contains("'rude'")
        .contains("[toxic, spam, ok]");
    JsonNode tooMany = annotate(KEYS.get(1), ds, "bad-2", "cid-s", List.of("toxic", "spam", "ok"), 1);
    assertThat(tooMany.path("status").asInt()).isEqualTo(400);
    assertThat(tooMany.path("body").path("message").asText()).contains("1 to 2");
    assertThat(annotate(KEYS.get(1), ds, "bad-3", "cid-s", List.of(), 1).path("status").asInt()).isEqualTo(400);
    assertThat(new AnnotationTable(lakehouse).annotations(ds)).isEmpty();
    JsonNode ok = annotate(KEYS.get(1), ds, "good-1", "cid-s", List.of("spam", "toxic", "spam"), 1);
    assertThat(ok.path("status").asInt()).as(ok.toString()).isEqualTo(201);
    assertThat(ok.path("body").path("values")).extracting(JsonNode::asText).containsExactly("spam", "toxic");

    // schemas themselves: invalid at create and at PUT; PUT only by the owner
    ObjectNode def = datasetRequest("{\"version\":1,\"kind\":\"single_label\",\"classes\":[\"only\"]}");
    JsonNode create = send(KEYS.get(0), "POST", "/v1/datasets", def.toString());
    assertThat(create.path("status").asInt()).isEqualTo(400);
    assertThat(create.path("body").path("message").asText()).contains("labelSchema").contains("at least 2 classes");
    JsonNode put = send(KEYS.get(1), "PUT", "/v1/datasets/" + ds + "/label-schema", SINGLE);
    assertThat(put.path("status").asInt()).isEqualTo(403);
    JsonNode badVersion = send(KEYS.get(0), "PUT", "/v1/datasets/" + ds + "/label-schema",
        "{\"version\":9,\"kind\":\"free_text\",\"maxLength\":3}");
    assertThat(badVersion.path("status").asInt()).isEqualTo(400);
    assertThat(badVersion.path("body").path("message").asText()).contains("version 9");
    JsonNode replaced = send(KEYS.get(0), "PUT", "/v1/datasets/" + ds + "/label-schema", SINGLE);
    assertThat(replaced.path("status").asInt()).isEqualTo(200);
    assertThat(replaced.path("body").path("labelSchema").path("classes")).hasSize(3);
  }

  @Test
  void unauthenticatedAndUnknownAre401And404() throws Exception {
    String ds = createDataset(KEYS.get(0), SINGLE);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/datasets/" + ds
        + "/tasks")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/annotations"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(post.body()).path("code").asText()).isNotBlank();
    assertThat(get(KEYS.get(1), "/v1/datasets/ds-missing0000/tasks").path("status").asInt()).isEqualTo(404);
    String noSchema = createDataset(KEYS.get(0), null);
    JsonNode none = get(KEYS.get(1), "/v1/datasets/" + noSchema + "/tasks");
    assertThat(none.path("status").asInt()).isEqualTo(400);
    assertThat(none.path("body").path("message").asText()).contains("no label schema").contains("label-schema");
    JsonNode doc = JSON.readTree(HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(doc.path("paths").has("/v1/datasets/{id}/tasks")).isTrue();
    assertThat(doc.path("paths").has("/v1/annotations")).isTrue();
    assertThat(doc.path("paths").has("/v1/reviews")).isTrue();
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  static String login(DevKeyFile key) throws Exception {
    JsonNode challenge = raw(null, "POST", "/v1/auth/challenge", "{\"address\":\"" + key.address() + "\"}");
    String message = challenge.path("body").path("message").asText();
    JsonNode login = raw(null, "POST", "/v1/auth/login", JSON.createObjectNode().put("message", message)
        .put("signature", key.sign(message)).toString());
    assertThat(login.path("status").asInt()).as(login.toString()).isEqualTo(200);
    return login.path("body").path("token").asText();
  }

  static ObjectNode datasetRequest(String labelSchema) throws Exception {
    ObjectNode def = JSON.createObjectNode().put("name", "reviews").put("format", "jsonl");
    if (labelSchema != null) {
      def.set("labelSchema", JSON.readTree(labelSchema));
    }
    return def;
  }

  static String createDataset(DevKeyFile owner, String labelSchema) throws Exception {
    JsonNode r = send(owner, "POST", "/v1/datasets", datasetRequest(labelSchema).toString());
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(201);
    return r.path("body").path("id").asText();
  }

  /** Ingested records, written as the ingestion job would (the job itself is not part of this module). */
  static void addRecords(String ds, Map<String, String> cidToText) {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    List<Record> rows = new ArrayList<>();
    cidToText.forEach((cid, text) -> {
      String json = JSON.createObjectNode().put("text", text).toString();
      Map<String, Object> v = new HashMap<>();
      v.put("record_cid", cid);
      v.put("dataset_id", ds);
      v.put("submission_id", "sub-1");
      v.put("contributor", "0x" + "ab".repeat(20));
      v.put("content_cid", "bafybeicontent");
      v.put("record_json", json);
      v.put("byte_size", json.length());
      v.put("ingested_at", OffsetDateTime.now(ZoneOffset.UTC));
      rows.add(Rows.of(records.schema(), v));
    });
    TableAppender.append(records, rows);
  }

  static List<String> tasksOf(DevKeyFile key, String ds) throws Exception {
    JsonNode r = get(key, "/v1/datasets/" + ds + "/tasks?limit=2");
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.path("body").path("tasks").forEach(t -> out.add(t.path("recordCid").asText()));
    return out;
  }

  static JsonNode annotate(DevKeyFile key, String ds, String id, String cid, List<String> values, long ms)
      throws Exception {
    ObjectNode body = JSON.createObjectNode().put("annotationId", id).put("datasetId", ds).put("recordCid", cid)
        .put("timeSpentMs", ms);
    values.forEach(body.putArray("values")::add);
    return send(key, "POST", "/v1/annotations", body.toString());
  }

  static JsonNode review(DevKeyFile key, String ds, String annotationId, String decision) throws Exception {
    return send(key, "POST", "/v1/reviews", JSON.createObjectNode().put("reviewId", UUID.randomUUID().toString())
        .put("datasetId", ds).put("annotationId", annotationId).put("decision", decision).toString());
  }

  static JsonNode get(DevKeyFile key, String path) throws Exception {
    return raw(TOKENS.get(key.address()), "GET", path, null);
  }

  static JsonNode send(DevKeyFile key, String method, String path, String body) throws Exception {
    return raw(TOKENS.get(key.address()), method, path, body);
  }

  /** {@code {"status": n, "body": <json>}} */
  static JsonNode raw(String token, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    ObjectNode out = JSON.createObjectNode().put("status", r.statusCode());
    out.set("body", r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    return out;
  }
}
