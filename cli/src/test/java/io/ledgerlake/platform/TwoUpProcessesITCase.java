package io.ledgerlake.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.stage.AnnotationTable;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.coordination.PostgresTestInstance;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.common.config.Settings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code ledgerlake up} processes (child JVMs, each with its own data directory, as on two machines) sharing one
 * PostgreSQL catalog and warehouse behave like one platform: a dataset created through one is served by the other;
 * 16 annotators, half signed in on each, never exceed the overlap nor get a record twice (the reservations are in
 * the catalog database); only one process writes label.labels — the second stands by, and when the first is killed
 * (SIGKILL: no release, the lease expires) it takes over from the committed cursor, so every record, uploaded
 * through either process, is labeled exactly once. Real PostgreSQL (Debian's), skipped where it cannot start.
 */
class TwoUpProcessesITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final String SINGLE = "{\"version\":1,\"kind\":\"single_label\",\"classes\":[\"pos\",\"neg\"]}";
  private static final Pattern API = Pattern.compile("Upload API:\\s+(http://\\S+)");

  @TempDir Path dir;

  @Test
  void twoProcessesOnOneCatalogBehaveLikeOne() throws Exception {
    try (PostgresTestInstance pg = PostgresTestInstance.startOrSkip()) {
      Map<String, String> shared = Map.of(
          LakehouseOptions.CATALOG_TYPE, "jdbc",
          LakehouseOptions.CATALOG_URI, pg.url(),
          LakehouseOptions.JDBC_USER, "postgres",
          LakehouseOptions.WAREHOUSE, dir.resolve("warehouse").toString());
      UpProcess a = start("a", shared);
      UpProcess b = null;
      try {
        awaitLabeling(a, "running");
        b = start("b", shared);
        assertThat(labelingState(b)).as("the second process stands by").startsWith("standby");

        DevKeyFile owner = DevKeyFile.generate(dir.resolve("owner.json"));
        String ownerOnA = login(a, owner);
        JsonNode created = send(a, ownerOnA, "POST", "/v1/datasets", JSON.createObjectNode().put("name", "reviews")
            .put("format", "jsonl").set("labelSchema", JSON.readTree(SINGLE)).toString());
        assertThat(created.path("status").asInt()).as(created.toString()).isEqualTo(201);
        String ds = created.path("body").path("id").asText();
        // The token issued by the first process, used on the second (and, below, after the first is gone).
        String ownerOnB = ownerOnA;
        assertThat(send(b, ownerOnB, "GET", "/v1/datasets/" + ds, null).path("status").asInt())
            .as("the dataset registry and the API tokens are the catalog database's").isEqualTo(200);

        String first = upload(a, ownerOnA, ds, 0, 12);
        awaitIngested(a, ownerOnA, first);

        try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(Settings.of(withDataDir(shared, "reader"))))) {
          annotateFromBoth(a, b, ds, lakehouse);
          assertThat(curationCounts(lakehouse, 12)).as("labeled once each, by the first process").hasSize(12)
              .allSatisfy((cid, n) -> assertThat(n).isEqualTo(1));
          assertThat(labelingState(b)).startsWith("standby");

          a.process().destroyForcibly(); // no lease release: the second process takes over when it expires
          assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
          awaitLabeling(b, "running");

          String second = upload(b, ownerOnB, ds, 12, 5);
          awaitIngested(b, ownerOnB, second);
          assertThat(curationCounts(lakehouse, 17)).as("records of both processes, labeled exactly once")
              .hasSize(17).allSatisfy((cid, n) -> assertThat(n).isEqualTo(1));
        }
      } finally {
        a.close();
        if (b != null) {
          b.close();
        }
      }
    }
  }

  private Map<String, String> withDataDir(Map<String, String> shared, String name) {
    Map<String, String> all = new HashMap<>(shared);
    all.put(LakehouseOptions.DATA_DIR, dir.resolve(name).toString());
    return all;
  }

  private UpProcess start(String name, Map<String, String> shared) throws Exception {
    return UpProcess.start(dir.resolve(name), dir.resolve(name + "-up.log"), shared);
  }

  private static String labelingState(UpProcess up) throws Exception {
    JsonNode health = JSON.readTree(HTTP.send(HttpRequest.newBuilder(up.api().resolve("/health")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    return health.path("components").path("labeling-job").asText();
  }

  private static void awaitLabeling(UpProcess up, String state) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = labelingState(up);
      if (last.equals(state)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("labeling of " + up.api() + " is '" + last + "', not " + state + ":\n"
        + Files.readString(up.log()));
  }

  /** Uploads records {@code from .. from+n-1} (and one bad line) and returns the submission id. */
  private String upload(UpProcess up, String token, String ds, int from, int n) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      body.append("{\"text\":\"review number ").append(i).append(" of the shared catalog\"}\n");
    }
    body.append("{not json\n");
    JsonNode r = raw(up, token, "POST", "/v1/datasets/" + ds + "/uploads", body.toString(), "application/x-ndjson");
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(202);
    return r.path("body").path("submissionId").asText();
  }

  private static void awaitIngested(UpProcess up, String token, String submission) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = send(up, token, "GET", "/v1/submissions/" + submission, null);
      if ("ingested".equals(last.path("body").path("status").asText())) {
        assertThat(last.toString()).contains("\"rejected\":1");
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("submission " + submission + " not ingested; last: " + last);
  }

  /** 16 annotators, 8 signed in on each process, answer every task they are given. */
  private void annotateFromBoth(UpProcess a, UpProcess b, String ds, Lakehouse lakehouse) throws Exception {
    int annotators = 16;
    Map<String, String> tokens = new HashMap<>();
    List<DevKeyFile> keys = new ArrayList<>();
    for (int k = 0; k < annotators; k++) {
      DevKeyFile key = DevKeyFile.generate(dir.resolve("annotator-" + k + ".json"));
      keys.add(key);
      // Signed in on one process, annotating through the other: tokens are shared through the catalog database.
      tokens.put(key.address(), login(k % 2 == 0 ? b : a, key));
    }
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(annotators);
    List<Future<?>> done = new ArrayList<>();
    for (int k = 0; k < annotators; k++) {
      UpProcess via = k % 2 == 0 ? a : b;
      String token = tokens.get(keys.get(k).address());
      done.add(pool.submit(() -> {
        go.await();
        for (int round = 0; round < 20; round++) {
          JsonNode tasks = send(via, token, "GET", "/v1/datasets/" + ds + "/tasks?limit=2", null);
          if (tasks.path("status").asInt() != 200) {
            failures.add(tasks.toString());
            return null;
          }
          if (tasks.path("body").path("tasks").isEmpty()) {
            return null;
          }
          for (JsonNode t : tasks.path("body").path("tasks")) {
            String id = UUID.randomUUID().toString();
            ObjectNode answer = JSON.createObjectNode().put("annotationId", id).put("datasetId", ds)
                .put("recordCid", t.path("recordCid").asText()).put("timeSpentMs", 10);
            answer.putArray("values").add("pos");
            JsonNode r = send(via, token, "POST", "/v1/annotations", answer.toString());
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
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(failures).as("every reserved task could be answered").isEmpty();
    List<Annotation> stored = new AnnotationTable(lakehouse).annotations(ds);
    assertThat(stored).extracting(Annotation::annotationId).as("no acknowledged answer lost, none extra")
        .containsExactlyInAnyOrderElementsOf(acknowledged);
    Map<String, Set<String>> byRecord = new HashMap<>();
    for (Annotation x : stored) {
      assertThat(byRecord.computeIfAbsent(x.recordCid(), c -> new HashSet<>()).add(x.annotatorId()))
          .as("annotator %s answered %s twice", x.annotatorId(), x.recordCid()).isTrue();
    }
    assertThat(byRecord).hasSize(12);
    byRecord.forEach((cid, who) -> assertThat(who).as("overlap of %s", cid).hasSize(3));
    Set<String> servedBy = new HashSet<>();
    for (Annotation x : stored) {
      servedBy.add(keys.indexOf(keys.stream().filter(k -> k.address().equalsIgnoreCase(x.annotatorId()))
          .findFirst().orElseThrow()) % 2 == 0 ? "a" : "b");
    }
    assertThat(servedBy).as("both processes handed out tasks").containsExactlyInAnyOrder("a", "b");
  }

  /** Curation rows per record, once {@code records} records have one (or after 120 s). */
  private static Map<String, Integer> curationCounts(Lakehouse lakehouse, int records) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Map<String, Integer> counts = readCurationCounts(lakehouse);
    while (counts.size() < records && System.nanoTime() < deadline) {
      Thread.sleep(500);
      counts = readCurationCounts(lakehouse);
    }
    Thread.sleep(2_000); // a duplicate would be a later commit: give one the time to land
    return readCurationCounts(lakehouse);
  }

  private static Map<String, Integer> readCurationCounts(Lakehouse lakehouse) throws Exception {
    var labels = lakehouse.table(TableModel.LABEL_LABELS);
    labels.refresh();
    Map<String, Integer> counts = new HashMap<>();
    try (var rows = IcebergGenerics.read(labels).build()) {
      for (Record r : rows) {
        if (r.getField("label_key").equals("curation")) {
          counts.merge((String) r.getField("record_cid"), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  private static String login(UpProcess up, DevKeyFile key) throws Exception {
    JsonNode challenge = raw(up, null, "POST", "/v1/auth/challenge", "{\"address\":\"" + key.address() + "\"}",
        "application/json");
    String message = challenge.path("body").path("message").asText();
    JsonNode login = raw(up, null, "POST", "/v1/auth/login", JSON.createObjectNode().put("message", message)
        .put("signature", key.sign(message)).toString(), "application/json");
    assertThat(login.path("status").asInt()).as(login.toString()).isEqualTo(200);
    return login.path("body").path("token").asText();
  }

  private static JsonNode send(UpProcess up, String token, String method, String path, String body) throws Exception {
    return raw(up, token, method, path, body, "application/json");
  }

  /** {@code {"status": n, "body": <json>}} */
  private static JsonNode raw(UpProcess up, String token, String method, String path, String body, String contentType)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(up.api().resolve(path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      r.header("Content-Type", contentType);
    }
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    ObjectNode out = JSON.createObjectNode().put("status", response.statusCode());
    out.set("body", response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body()));
    return out;
  }
}
