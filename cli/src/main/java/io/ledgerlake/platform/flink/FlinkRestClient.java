package io.ledgerlake.platform.flink;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

/**
 * The few endpoints of Flink's REST API that {@code ledgerlake up} uses on a session cluster: upload a job jar, run
 * it, read a job's state, its root exception and its latest completed checkpoint, cancel it. Over java.net.http, so
 * the CLI needs no Flink client (the REST client of flink-clients would tie it to the cluster's exact version; these
 * endpoints are stable across Flink 1.x and 2.x).
 */
public final class FlinkRestClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public FlinkRestClient(URI base) {
    this.base = requireNonNull(base, "base");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public URI baseUri() {
    return base;
  }

  /** What a job-jar run takes besides the jar: entry class, program arguments, per-job Flink configuration. */
  public record RunRequest(String entryClass, List<String> programArgs, Optional<Path> restoreFrom,
      Map<String, String> flinkConfiguration) {
    public RunRequest {
      requireNonNull(entryClass, "entryClass");
      programArgs = List.copyOf(programArgs);
      requireNonNull(restoreFrom, "restoreFrom");
      flinkConfiguration = Map.copyOf(flinkConfiguration);
    }
  }

  /** {@code GET /overview}: the Flink version, to fail early with a clear message when nothing answers. */
  public String flinkVersion() {
    return get("/overview").path("flink-version").asText("?");
  }

  /** {@code POST /jars/upload} (multipart, field {@code jarfile}); returns the jar id for {@link #run}. */
  public String upload(Path jar) {
    String boundary = "ledgerlake-" + UUID.randomUUID();
    byte[] body;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
          + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(Files.readAllBytes(jar));
      out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      body = out.toByteArray();
    } catch (IOException e) {
      throw new FlinkClusterException(0, ErrorCategory.USER_ERROR,
          "cannot read the job jar " + jar + ": " + e.getMessage() + "; rebuild it", e);
    }
    JsonNode reply = send(HttpRequest.newBuilder(uri("/jars/upload"))
        .timeout(Duration.ofMinutes(2))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "upload " + jar.getFileName());
    String file = reply.path("filename").asText("");
    if (!"success".equals(reply.path("status").asText()) || file.isEmpty()) {
      throw external(0, "upload of " + jar.getFileName() + " answered " + reply, null);
    }
    return Path.of(file).getFileName().toString();
  }

  /** {@code POST /jars/:jarid/run}: runs the jar's main on the JobManager; returns the job it submitted. */
  public JobID run(String jarId, RunRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("entryClass", request.entryClass());
    body.set("programArgsList", json.valueToTree(request.programArgs()));
    request.restoreFrom().ifPresent(p -> body.put("savepointPath", p.toUri().toString()));
    body.set("flinkConfiguration", json.valueToTree(request.flinkConfiguration()));
    JsonNode reply = send(HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
        .timeout(Duration.ofMinutes(2))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())), "run " + request.entryClass());
    String id = reply.path("jobid").asText("");
    if (id.isEmpty()) {
      throw external(0, "running " + request.entryClass() + " answered " + reply, null);
    }
    return JobID.fromHexString(id);
  }

  /** {@code DELETE /jars/:jarid}: the uploaded copy is not needed once the job is submitted. */
  public void deleteJar(String jarId) {
    send(HttpRequest.newBuilder(uri("/jars/" + jarId)).timeout(TIMEOUT).DELETE(), "delete jar " + jarId);
  }

  /** {@code GET /jobs/:jobid}: the job's state. */
  public JobStatus status(JobID job) {
    return JobStatus.valueOf(get("/jobs/" + job).path("state").asText());
  }

  /** {@code GET /jobs/:jobid/exceptions}: the exception that failed the job last, first line. */
  public Optional<String> rootException(JobID job) {
    JsonNode reply = get("/jobs/" + job + "/exceptions");
    String root = reply.path("root-exception").asText("");
    if (root.isEmpty()) {
      root = reply.path("exceptionHistory").path("entries").path(0).path("stacktrace").asText("");
    }
    return root.isEmpty() ? Optional.empty() : Optional.of(root.lines().findFirst().orElse(root));
  }

  /** {@code GET /jobs/:jobid/checkpoints}: where the newest completed checkpoint is, if any. */
  public Optional<String> latestCompletedCheckpoint(JobID job) {
    String path = get("/jobs/" + job + "/checkpoints").path("latest").path("completed").path("external_path").asText("");
    return path.isEmpty() || "<checkpoint-not-externally-addressable>".equals(path) ? Optional.empty() : Optional.of(path);
  }

  /** {@code GET /jobs/:jobid/checkpoints}: how many checkpoints completed. */
  public long completedCheckpoints(JobID job) {
    return get("/jobs/" + job + "/checkpoints").path("counts").path("completed").asLong(0);
  }

  /**
   * The TaskManagers (their resource ids) that run a task of {@code job} right now: {@code GET /jobs/:jobid} for the
   * vertices, then {@code GET /jobs/:jobid/vertices/:vertexid/taskmanagers} for each. What an operator asks before
   * draining a machine, and what the failure drills use to pick the TaskManager to kill.
   */
  public java.util.Set<String> taskManagersOf(JobID job) {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
      for (JsonNode tm : get("/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
          .path("taskmanagers")) {
        String id = tm.path("taskmanager-id").asText("");
        if (!id.isEmpty() && "RUNNING".equals(tm.path("status").asText())) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** {@code GET /jobs/:jobid/exceptions}: how many failures (each followed by a restart) the job has had. */
  public int failureCount(JobID job) {
    return get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries").size();
  }

  /** {@code PATCH /jobs/:jobid?mode=cancel}. */
  public void cancel(JobID job) {
    send(HttpRequest.newBuilder(uri("/jobs/" + job + "?mode=cancel")).timeout(TIMEOUT)
        .method("PATCH", HttpRequest.BodyPublishers.noBody()), "cancel job " + job);
  }

  private JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET(), "GET " + path);
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private JsonNode send(HttpRequest.Builder request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw external(0, "the Flink cluster at " + base + " did not answer (" + what + "): " + e
          + "; is it running? (infra/local-cluster/local-cluster.sh status)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw external(0, "interrupted while calling the Flink cluster (" + what + ")", e);
    }
    int code = response.statusCode();
    if (code / 100 != 2) {
      throw external(code, "the Flink cluster at " + base + " refused " + what + " with HTTP " + code + ": "
          + errors(response.body()), null);
    }
    try {
      String body = response.body();
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      throw external(code, "the Flink cluster at " + base + " answered " + what + " with malformed JSON", e);
    }
  }

  /** Flink puts its errors in {@code {"errors": [...]}}, the stack trace among them: the first line of each. */
  private String errors(String body) {
    try {
      JsonNode errors = json.readTree(body).path("errors");
      StringBuilder out = new StringBuilder();
      for (JsonNode e : errors) {
        String text = e.asText();
        // the server-side trace's "Caused by" lines carry the reason a job was refused
        text.lines().filter(l -> !l.startsWith("\tat ")).limit(12).forEach(l -> out.append(l.strip()).append(' '));
      }
      return out.length() > 0 ? out.toString().strip() : body;
    } catch (IOException e) {
      return body;
    }
  }

  private static FlinkClusterException external(int status, String message, Throwable cause) {
    return new FlinkClusterException(status, ErrorCategory.EXTERNAL, message, cause);
  }
}
