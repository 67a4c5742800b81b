package io.ledgerlake.jobs.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ledgerlake.common.ErrorCategory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Airflow client against a local stub of Airflow's API server. The stub finds each request's operation in the
 * committed OpenAPI document, validates the request body against it, answers like Airflow, and validates its own
 * answer against the document before sending it; every mismatch is recorded and fails the test.
 */
class AirflowClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NOW = "2026-06-01T12:00:00Z";
  static OpenApiDocument spec;

  HttpServer server;
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final List<String> validated = Collections.synchronizedList(new ArrayList<>());
  final Map<String, ObjectNode> runs = new ConcurrentHashMap<>();
  final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  final AtomicInteger tokensIssued = new AtomicInteger();
  final Set<String> dags = Set.of("ledgerlake_embed_on_publish");

  @BeforeAll
  static void load() throws IOException {
    spec = new OpenApiDocument();
    assertThat(spec.version()).isEqualTo("2");
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    assertThat(violations).as("requests and responses that do not match Airflow's OpenAPI document").isEmpty();
  }

  AirflowClient client(String password) {
    return new AirflowClient(new AirflowOptions(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
        "admin", password, Duration.ofSeconds(10)));
  }

  @Test
  void triggerReadListClearAndAssetEventAllMatchTheDocument() {
    AirflowClient c = client("secret");
    ObjectNode conf = JSON.createObjectNode().put("dataset", "ds1").put("version", "ds1-v2");
    AirflowClient.DagRun run = c.trigger("ledgerlake_embed_on_publish", "ll-ds1-v2", conf, "from ledgerlake");
    assertThat(run.runId()).isEqualTo("ll-ds1-v2");
    assertThat(run.state()).isEqualTo("queued");
    assertThat(run.conf().path("version").asText()).isEqualTo("ds1-v2");
    AirflowClient.DagRun read = c.dagRun("ledgerlake_embed_on_publish", "ll-ds1-v2");
    assertThat(read.runType()).isEqualTo("manual");
    List<AirflowClient.TaskInstance> tis = c.taskInstances("ledgerlake_embed_on_publish", "ll-ds1-v2");
    assertThat(tis).extracting(AirflowClient.TaskInstance::taskId).containsExactly("embed", "rag_build");
    assertThat(tis.get(0).state()).isEqualTo("success");
    assertThat(tis.get(1).state()).isNull();
    c.clear("ledgerlake_embed_on_publish", "ll-ds1-v2", true);
    AirflowClient.AssetEvent event = c.assetEvent(7, JSON.createObjectNode().put("version", "ds1-v2"));
    assertThat(event.assetId()).isEqualTo(7);
    assertThat(validated).containsExactly("trigger_dag_run", "get_dag_run", "get_task_instances", "clear_dag_run",
        "create_asset_event");
    assertThat(tokensIssued.get()).isEqualTo(1);
  }

  @Test
  void anExpiredTokenIsRenewedOnceABadPasswordIsAClearUserError() {
    AirflowClient c = client("secret");
    c.trigger("ledgerlake_embed_on_publish", "r1", null, null);
    validTokens.clear(); // the JWT expired
    assertThat(c.dagRun("ledgerlake_embed_on_publish", "r1").runId()).isEqualTo("r1");
    assertThat(tokensIssued.get()).isEqualTo(2);
    assertThatThrownBy(() -> client("wrong").dagRun("ledgerlake_embed_on_publish", "r1"))
        .isInstanceOfSatisfying(AirflowException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.errorCategory()).isEqualTo(ErrorCategory.USER_ERROR);
          assertThat(e.getMessage()).contains("rejected user 'admin' (401)").doesNotContain("wrong");
        });
  }

  @Test
  void aTokenRejectedAgainAfterRenewalIs401() {
    AirflowClient c = client("secret");
    rejectAllTokens = true;
    assertThatThrownBy(() -> c.dagRun("ledgerlake_embed_on_publish", "r1"))
        .isInstanceOfSatisfying(AirflowException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.getMessage()).contains("rejected the token of user 'admin' (401)");
        });
  }

  @Test
  void unknownDagIs404AndADuplicateRunIdIs409() {
    AirflowClient c = client("secret");
    assertThatThrownBy(() -> c.trigger("no_such_dag", null, null, null))
        .isInstanceOfSatisfying(AirflowException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.errorCategory()).isEqualTo(ErrorCategory.USER_ERROR);
          assertThat(e.getMessage()).startsWith("Airflow has no DAG 'no_such_dag' (404): The Dag with dag_id");
        });
    c.trigger("ledgerlake_embed_on_publish", "dup", null, null);
    assertThatThrownBy(() -> c.trigger("ledgerlake_embed_on_publish", "dup", null, null))
        .isInstanceOfSatisfying(AirflowException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).startsWith("run id 'dup' already exists for DAG 'ledgerlake_embed_on_publish'"
              + " (409)");
        });
    assertThatThrownBy(() -> c.dagRun("ledgerlake_embed_on_publish", "nope"))
        .hasMessageStartingWith("Airflow has no run 'nope' of DAG 'ledgerlake_embed_on_publish' (404)");
  }

  @Test
  void theValidatorRejectsWhatAirflowWouldReject() {
    // Can the checks fail? A trigger body without the required logical_date, and a run missing required fields.
    var op = spec.operation("POST", "/api/v2/dags/x/dagRuns").orElseThrow();
    assertThat(spec.checkRequest(op, JSON.createObjectNode().put("dag_run_id", "r"))).isNotEmpty();
    assertThat(spec.checkRequest(op, JSON.createObjectNode().putNull("logical_date").put("bogus", 1))).isNotEmpty();
    assertThat(spec.checkResponse(op, 200, JSON.createObjectNode().put("dag_id", "x"))).isNotEmpty();
    assertThat(spec.checkResponse(op, 418, JSON.createObjectNode())).containsExactly(
        "trigger_dag_run does not declare status 418");
    assertThat(spec.checkSchema("DAGRunResponse", dagRun("x", "r", JSON.createObjectNode()))).isEmpty();
  }

  volatile boolean rejectAllTokens;

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonNode body = text.isEmpty() ? null : JSON.readTree(text);
    if (path.equals("/auth/token") && method.equals("POST")) {
      // The auth manager's endpoint (not in the v2 document): {username, password} -> {access_token}.
      if (body != null && "admin".equals(body.path("username").asText())
          && "secret".equals(body.path("password").asText())) {
        String token = "jwt-" + tokensIssued.incrementAndGet();
        validTokens.add(token);
        send(ex, 201, JSON.createObjectNode().put("access_token", token));
      } else {
        send(ex, 401, JSON.createObjectNode().put("detail", "Invalid credentials"));
      }
      return;
    }
    var op = spec.operation(method, path);
    if (op.isEmpty()) {
      violations.add("no operation in the document for " + method + " " + path);
      send(ex, 404, JSON.createObjectNode().put("detail", "Not Found"));
      return;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    int status;
    JsonNode answer;
    if (rejectAllTokens || auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
      status = 401;
      answer = JSON.createObjectNode().put("detail", "Invalid JWT token");
    } else {
      List<String> problems = spec.checkRequest(op.get(), body);
      violations.addAll(problems);
      if (!problems.isEmpty()) {
        status = 422;
        answer = JSON.createObjectNode().set("detail", JSON.createArrayNode());
      } else {
        validated.add(op.get().id());
        Map.Entry<Integer, JsonNode> r = answer(op.get().id(), path.split("/"), body);
        status = r.getKey();
        answer = r.getValue();
      }
    }
    violations.addAll(spec.checkResponse(op.get(), status, answer));
    send(ex, status, answer);
  }

  /** What Airflow would answer, by operation. */
  private Map.Entry<Integer, JsonNode> answer(String operation, String[] p, JsonNode body) {
    // p: ["", "api", "v2", "dags", dag_id, "dagRuns", run_id, ...]
    String dag = p.length > 4 ? p[4] : null;
    if (p.length > 4 && p[3].equals("dags") && !dags.contains(dag)) {
      return Map.entry(404, JSON.createObjectNode().put("detail", "The Dag with dag_id: `" + dag + "` was not found"));
    }
    switch (operation) {
      case "trigger_dag_run" -> {
        String id = body.path("dag_run_id").isTextual() ? body.get("dag_run_id").asText() : "manual__" + NOW;
        if (runs.containsKey(dag + "/" + id)) {
          return Map.entry(409, JSON.createObjectNode().put("detail", "DAG with dag_id: '" + dag
              + "' has already a DAGRun with dag_run_id: '" + id + "'"));
        }
        ObjectNode run = dagRun(dag, id, body.path("conf").isObject() ? body.get("conf") : JSON.createObjectNode());
        runs.put(dag + "/" + id, run);
        return Map.entry(200, run);
      }
      case "get_dag_run", "clear_dag_run" -> {
        ObjectNode run = runs.get(dag + "/" + p[6]);
        if (run == null) {
          return Map.entry(404, JSON.createObjectNode().put("detail", "The DagRun with dag_id: `" + dag
              + "` and run_id: `" + p[6] + "` was not found"));
        }
        return Map.entry(200, run);
      }
      case "get_task_instances" -> {
        ObjectNode out = JSON.createObjectNode();
        out.putArray("task_instances").add(taskInstance(dag, p[6], "embed", "success"))
            .add(taskInstance(dag, p[6], "rag_build", null));
        out.put("total_entries", 2);
        return Map.entry(200, out);
      }
      case "create_asset_event" -> {
        ObjectNode e = JSON.createObjectNode().put("id", 1).put("asset_id", body.path("asset_id").asLong())
            .put("source_map_index", -1).put("timestamp", NOW);
        e.set("extra", body.path("extra"));
        e.putArray("created_dagruns");
        return Map.entry(200, e);
      }
      default -> {
        return Map.entry(500, JSON.createObjectNode().put("detail", "stub has no answer for " + operation));
      }
    }
  }

  static ObjectNode dagRun(String dag, String id, JsonNode conf) {
    ObjectNode r = JSON.createObjectNode().put("dag_run_id", id).put("dag_id", dag).putNull("logical_date")
        .put("queued_at", NOW).putNull("start_date").putNull("end_date").putNull("duration")
        .putNull("data_interval_start").putNull("data_interval_end").put("run_after", NOW)
        .putNull("last_scheduling_decision").put("run_type", "manual").put("state", "queued")
        .put("triggered_by", "rest_api").put("triggering_user_name", "admin");
    r.set("conf", conf);
    r.putNull("note");
    r.putArray("dag_versions");
    r.putNull("bundle_version");
    r.put("dag_display_name", dag);
    return r;
  }

  private static ObjectNode taskInstance(String dag, String run, String task, String state) {
    ObjectNode t = JSON.createObjectNode().put("id", "0199-" + task).put("task_id", task).put("dag_id", dag)
        .put("dag_run_id", run).put("map_index", -1).putNull("logical_date").put("run_after", NOW)
        .put("start_date", NOW).putNull("end_date").put("duration", 1.5);
    if (state == null) {
      t.putNull("state");
    } else {
      t.put("state", state);
    }
    t.put("try_number", 1).put("max_tries", 2).put("task_display_name", task).put("dag_display_name", dag)
        .putNull("hostname").putNull("unixname").put("pool", "default_pool").put("pool_slots", 1)
        .put("queue", "default").put("priority_weight", 1).put("operator", "BashOperator")
        .put("operator_name", "BashOperator").putNull("queued_when").putNull("scheduled_when").putNull("pid")
        .putNull("executor").put("executor_config", "{}").putNull("note").putNull("rendered_map_index")
        .putNull("trigger").putNull("triggerer_job").putNull("dag_version");
    return t;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

}
