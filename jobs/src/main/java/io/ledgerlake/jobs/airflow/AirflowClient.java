package io.ledgerlake.jobs.airflow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small typed client for the Airflow 3 stable REST API ({@code /api/v2}), for the calls LedgerLake makes: trigger a
 * DAG run with conf, read a run and its task instances, clear a run (retry it), and create an asset event (a new
 * dataset version). Authentication is Airflow 3's: a JWT from {@code POST /auth/token} sent as a bearer token,
 * fetched once and again after a 401. Request bodies and response fields follow the official OpenAPI document (see
 * {@code jobs/src/test/resources/airflow/}); the tests validate every call against it.
 */
public final class AirflowClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A DAG run as the client needs it. */
  public record DagRun(String dagId, String runId, String state, String runType, Instant queuedAt, Instant startDate,
      Instant endDate, JsonNode conf) {}

  /** One task instance of a run. */
  public record TaskInstance(String taskId, int mapIndex, String state, int tryNumber, int maxTries, Double duration) {}

  /** A created asset event. */
  public record AssetEvent(long id, long assetId, Instant timestamp) {}

  private final AirflowOptions options;
  private final HttpClient http;
  private volatile String token;

  public AirflowClient(AirflowOptions options) {
    this(options, HttpClient.newBuilder().connectTimeout(options.timeout()).build());
  }

  public AirflowClient(AirflowOptions options, HttpClient http) {
    this.options = requireNonNull(options, "options");
    this.http = requireNonNull(http, "http");
  }

  /**
   * Triggers {@code dagId} with {@code conf}; {@code runId} null lets Airflow name the run. A run id that exists is a
   * 409, reported as such.
   */
  public DagRun trigger(String dagId, String runId, ObjectNode conf, String note) {
    ObjectNode body = JSON.createObjectNode();
    if (runId != null) {
      body.put("dag_run_id", runId);
    }
    // Required by TriggerDAGRunPostBody (nullable): null means "now" for a manual run.
    body.putNull("logical_date");
    body.set("conf", conf == null ? JSON.createObjectNode() : conf);
    if (note != null) {
      body.put("note", note);
    }
    return dagRun(call("POST", "api/v2/dags/" + seg(dagId) + "/dagRuns", body,
        "DAG '" + dagId + "'", "run id '" + runId + "' already exists for DAG '" + dagId + "'"));
  }

  public DagRun dagRun(String dagId, String runId) {
    return dagRun(call("GET", "api/v2/dags/" + seg(dagId) + "/dagRuns/" + seg(runId), null,
        "run '" + runId + "' of DAG '" + dagId + "'", null));
  }

  /** The task instances of a run (first 100: LedgerLake's DAGs have a handful of tasks). */
  public List<TaskInstance> taskInstances(String dagId, String runId) {
    JsonNode r = call("GET", "api/v2/dags/" + seg(dagId) + "/dagRuns/" + seg(runId) + "/taskInstances?limit=100",
        null, "run '" + runId + "' of DAG '" + dagId + "'", null);
    List<TaskInstance> out = new ArrayList<>();
    for (JsonNode ti : r.path("task_instances")) {
      out.add(new TaskInstance(ti.path("task_id").asText(), ti.path("map_index").asInt(),
          ti.path("state").isNull() ? null : ti.path("state").asText(), ti.path("try_number").asInt(),
          ti.path("max_tries").asInt(), ti.path("duration").isNumber() ? ti.path("duration").asDouble() : null));
    }
    return out;
  }

  /** Clears a run so Airflow runs it again: all its tasks, or only the failed ones. Not a dry run. */
  public void clear(String dagId, String runId, boolean onlyFailed) {
    ObjectNode body = JSON.createObjectNode().put("dry_run", false).put("only_failed", onlyFailed);
    call("POST", "api/v2/dags/" + seg(dagId) + "/dagRuns/" + seg(runId) + "/clear", body,
        "run '" + runId + "' of DAG '" + dagId + "'", null);
  }

  /** Records an event on asset {@code assetId} (Airflow's numeric id), e.g. a new published dataset version. */
  public AssetEvent assetEvent(long assetId, ObjectNode extra) {
    ObjectNode body = JSON.createObjectNode().put("asset_id", assetId);
    body.set("extra", extra == null ? JSON.createObjectNode() : extra);
    JsonNode r = call("POST", "api/v2/assets/events", body, "asset " + assetId, null);
    return new AssetEvent(r.path("id").asLong(), r.path("asset_id").asLong(), instant(r.path("timestamp")));
  }

  private static DagRun dagRun(JsonNode r) {
    return new DagRun(r.path("dag_id").asText(), r.path("dag_run_id").asText(), r.path("state").asText(),
        r.path("run_type").asText(), instant(r.path("queued_at")), instant(r.path("start_date")),
        instant(r.path("end_date")), r.path("conf"));
  }

  /** One API call with the bearer token; on 401 the token is fetched again once (it may have expired). */
  private JsonNode call(String method, String path, JsonNode body, String what, String conflict) {
    HttpResponse<String> response = send(method, path, body, bearer(false));
    if (response.statusCode() == 401) {
      response = send(method, path, body, bearer(true));
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return parse(response.body(), path);
    }
    String detail = detail(response.body());
    throw switch (status) {
      case 401 -> new AirflowException(401, ErrorCategory.USER_ERROR, "Airflow at " + options.url()
          + " rejected the token of user '" + options.username() + "' (401): " + detail, null);
      case 403 -> new AirflowException(403, ErrorCategory.USER_ERROR, "Airflow user '" + options.username()
          + "' may not do this on " + what + " (403): " + detail, null);
      case 404 -> new AirflowException(404, ErrorCategory.USER_ERROR, "Airflow has no " + what + " (404): "
          + detail, null);
      case 409 -> new AirflowException(409, ErrorCategory.USER_ERROR,
          (conflict != null ? conflict : "conflict on " + what) + " (409): " + detail, null);
      case 400, 422 -> new AirflowException(status, ErrorCategory.USER_ERROR, "Airflow refused the request on "
          + what + " (" + status + "): " + detail, null);
      default -> new AirflowException(status, ErrorCategory.EXTERNAL, "Airflow at " + options.url() + " failed on "
          + what + " (" + status + "): " + detail, null);
    };
  }

  private String bearer(boolean refresh) {
    String t = token;
    if (t == null || refresh) {
      synchronized (this) {
        if (token == null || token.equals(t)) {
          token = fetchToken();
        }
        t = token;
      }
    }
    return t;
  }

  private String fetchToken() {
    ObjectNode body = JSON.createObjectNode().put("username", options.username()).put("password", options.password());
    HttpResponse<String> r = send("POST", "auth/token", body, null);
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new AirflowException(r.statusCode(), ErrorCategory.USER_ERROR, "Airflow at " + options.url()
          + " rejected user '" + options.username() + "' (" + r.statusCode() + "); check "
          + AirflowOptions.USERNAME + " and " + AirflowOptions.PASSWORD, null);
    }
    if (r.statusCode() / 100 != 2) {
      throw new AirflowException(r.statusCode(), ErrorCategory.EXTERNAL, "Airflow at " + options.url()
          + " could not issue a token (" + r.statusCode() + "): " + detail(r.body()), null);
    }
    String t = parse(r.body(), "auth/token").path("access_token").asText("");
    if (t.isEmpty()) {
      throw new AirflowException(r.statusCode(), ErrorCategory.EXTERNAL, "Airflow at " + options.url()
          + " answered /auth/token without an access_token", null);
    }
    return t;
  }

  private HttpResponse<String> send(String method, String path, JsonNode body, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(options.url().resolve(path)).timeout(options.timeout())
        .header("Accept", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AirflowException(0, ErrorCategory.EXTERNAL, "cannot reach Airflow at " + options.url() + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AirflowException(0, ErrorCategory.EXTERNAL, "interrupted calling Airflow", e);
    }
  }

  private static JsonNode parse(String body, String path) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new AirflowException(0, ErrorCategory.EXTERNAL, "Airflow answered " + path + " with invalid JSON", e);
    }
  }

  /** HTTPExceptionResponse.detail (a string or an object) or HTTPValidationError's first message. */
  private static String detail(String body) {
    try {
      JsonNode d = JSON.readTree(body).path("detail");
      if (d.isTextual()) {
        return d.asText();
      }
      if (d.isArray() && d.size() > 0) {
        return d.get(0).path("msg").asText(d.get(0).toString());
      }
      return d.isMissingNode() ? body : d.toString();
    } catch (IOException | RuntimeException e) {
      return body == null ? "" : body.length() > 200 ? body.substring(0, 200) : body;
    }
  }

  private static Instant instant(JsonNode n) {
    return n == null || !n.isTextual() ? null : java.time.OffsetDateTime.parse(n.asText()).toInstant();
  }

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
