package io.ledgerlake.ingestion.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.InvalidSchemaException;
import io.ledgerlake.ingestion.LimitExceededException;
import io.ledgerlake.ingestion.UnsupportedFormatException;
import io.ledgerlake.ingestion.auth.AuthenticationException;
import io.ledgerlake.ingestion.auth.SiweAuthenticator;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (see docs/api.md and {@code /openapi.json}). One handler: it asks its route groups ({@link Endpoints}:
 * auth, datasets, uploads, submissions), then the registered {@link ApiExtension}s, so that every
 * failure goes through one error mapping: a JSON body {@code {"code", "message"}} and a status derived from the
 * exception kind. User errors are logged without stack traces.
 *
 * <p>Runs on Jetty's core API (see docs/decisions/ingestion-http-server.md). A request that announces a body is
 * checked from its headers first ({@link #preflight}: authentication, declared size), and only then waits for its
 * body, without holding a thread: the handler is dispatched when the first body bytes arrive (or the idle timeout
 * passes). A slow or silent client thus costs a connection, not a thread.
 */
final class HttpApi extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final long MAX_JSON_BYTES = 1 << 20;
  private static final java.util.Set<String> BODY_METHODS = java.util.Set.of("POST", "PUT", "PATCH", "DELETE");

  /**
   * Every route: method and path pattern. Kept in sync with openapi.json by a test. The annotation routes (tasks,
   * annotations, reviews), the RAG query, model calls and the console's reads (versions, records, submissions, lineage,
   * earnings, reconciliation) are served by {@link ApiExtension}s when registered ({@code ledgerlake up}).
   */
  static final List<String> ROUTES = List.of(
      "GET /openapi.json",
      "GET /health",
      "POST /v1/auth/challenge",
      "POST /v1/auth/login",
      "POST /v1/auth/logout",
      "GET /v1/datasets",
      "POST /v1/datasets",
      "GET /v1/datasets/{id}",
      "GET /v1/datasets/{id}/versions",
      "GET /v1/datasets/{id}/records",
      "GET /v1/datasets/{id}/submissions",
      "GET /v1/lineage",
      "GET /v1/earnings/{address}",
      "GET /v1/reconciliation",
      "PUT /v1/datasets/{id}/label-schema",
      "GET /v1/datasets/{id}/tasks",
      "POST /v1/annotations",
      "POST /v1/reviews",
      "POST /v1/rag/query",
      "POST /v1/models/predict",
      "POST /v1/datasets/{id}/uploads",
      "OPTIONS /v1/datasets/{id}/uploads",
      "HEAD /v1/uploads/{uploadId}",
      "PATCH /v1/uploads/{uploadId}",
      "DELETE /v1/uploads/{uploadId}",
      "GET /v1/uploads/{uploadId}",
      "GET /v1/submissions/{id}");

  private final ApiAuth auth;
  private final UploadService uploads;
  private final long errorDrainBytes;
  private final byte[] openApi;
  private final DatasetEndpoints datasetEndpoints;
  /** The API's own route groups, in the order they are asked. */
  private final List<Endpoints> groups;
  private final List<ApiExtension> extensions;

  HttpApi(TokenStore tokens, SiweAuthenticator siwe, DatasetStore datasets, SubmissionStore submissions,
      UploadService uploads, ResumableUploads resumable, SubmissionStatusSource statusSource, long maxUploadBytes,
      long errorDrainBytes, Clock clock, List<ApiExtension> extensions) throws IOException {
    this.extensions = List.copyOf(extensions);
    this.auth = new ApiAuth(tokens);
    this.uploads = uploads;
    this.errorDrainBytes = errorDrainBytes;
    this.datasetEndpoints = new DatasetEndpoints(auth, datasets, clock, this.extensions);
    this.groups = List.of(
        new AuthEndpoints(tokens, siwe),
        datasetEndpoints,
        new UploadEndpoints(auth, uploads, resumable, maxUploadBytes),
        new SubmissionEndpoints(auth, datasets, submissions, statusSource));
    try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IOException("openapi.json is missing from the server jar");
      }
      this.openApi = in.readAllBytes();
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    // The idle timeout ends reads and writes that wait on the client; time the server spends working (e.g. storing a
    // completed resumable upload) with no I/O pending is not the client's idleness and does not fail the request.
    request.addIdleTimeoutListener(timeout -> false);
    Exchange ex = new Exchange(request, response, callback);
    try {
      if (ex.declaresBody() && BODY_METHODS.contains(ex.method())) {
        preflight(ex);
        // Once body bytes are there (or the idle timeout has passed), the handler runs on a pool thread: not in the
        // demand callback itself, which Jetty serializes with the body reads that the handler will wait for.
        java.util.concurrent.Executor executor = request.getComponents().getExecutor();
        request.demand(() -> executor.execute(() -> serve(ex)));
      } else {
        serve(ex);
      }
    } catch (Throwable t) {
      fail(ex, t);
    }
    return true;
  }

  private void serve(Exchange ex) {
    try {
      route(ex);
    } catch (Throwable t) {
      fail(ex, t);
    }
  }

  /**
   * What can be refused from the headers of a request that carries a body, before any of it is read: every body
   * except a sign-in's needs a valid token (401 otherwise, and the body is never read); an upload declaring more
   * than the upload limit, or a JSON body declaring more than the JSON limit, is refused with 413.
   */
  private void preflight(Exchange ex) {
    String path = ex.path();
    if (!path.equals("/v1/auth/challenge") && !path.equals("/v1/auth/login")) {
      authenticate(ex);
    }
    if (UploadEndpoints.DATASET_UPLOADS.matcher(path).matches() && !ex.hasHeader("Tus-Resumable")) {
      uploads.checkDeclaredLength(ex.declaredLength());
    } else if (!UploadEndpoints.UPLOAD.matcher(path).matches() && ex.declaredLength() > MAX_JSON_BYTES) {
      throw jsonTooLarge();
    }
  }

  /** The caller's address if the request carries a valid token. Used by {@link ApiRequest}. */
  Optional<String> optionalCaller(Exchange ex) {
    return auth.optionalCaller(ex);
  }

  /** The caller's address; a missing or invalid token is a 401. Also used by {@link ApiRequest}. */
  String authenticate(Exchange ex) {
    return auth.authenticate(ex);
  }

  /** A dataset the caller may read (404 otherwise, as if it did not exist). Also used by {@link ApiRequest}. */
  DatasetDefinition readableDataset(Exchange ex, String id) {
    return datasetEndpoints.readableDataset(ex, id);
  }

  private static LimitExceededException jsonTooLarge() {
    return new LimitExceededException("REQUEST_TOO_LARGE", "", "JSON request bodies are limited to "
        + MAX_JSON_BYTES + " bytes");
  }

  private void route(Exchange ex) throws IOException {
    String method = ex.method().toUpperCase(Locale.ROOT);
    String path = ex.path();
    if (path.equals("/openapi.json") && method.equals("GET")) {
      send(ex, 200, openApi, "application/json");
      return;
    }
    for (Endpoints group : groups) {
      if (group.handle(ex, method, path)) {
        return;
      }
    }
    ApiRequest request = new ApiRequest(this, ex);
    for (ApiExtension extension : extensions) {
      if (extension.handle(request)) {
        return;
      }
    }
    if (path.equals("/v1/rag/query") || path.equals("/v1/models/predict")) {
      throw new ResourceNotFoundException("The " + (path.equals("/v1/rag/query") ? "RAG query" : "model call")
          + " endpoint is not enabled on this server: it is served by 'ledgerlake up' when a chain is configured or"
          + " the local one is up; see docs/api.md");
    }
    if (path.equals("/v1/annotations") || path.equals("/v1/reviews") || path.endsWith("/tasks")) {
      throw new ResourceNotFoundException("Annotation endpoints are not enabled on this server: they are served by"
          + " 'ledgerlake up' (the labeling extension); see docs/api.md");
    }
    throw new ResourceNotFoundException("No such endpoint: " + method + " " + path + "; see /openapi.json");
  }

  // ---- plumbing ---------------------------------------------------------------------------------------------

  static JsonNode readJson(Exchange ex) throws IOException {
    String contentType = DataFormat.normalizeMediaType(ex.header("Content-Type"));
    if (!contentType.equals("application/json")) {
      throw new UnsupportedFormatException("Send this request as Content-Type application/json, got '"
          + contentType + "'");
    }
    try {
      // The stream is not closed: on failure, what is left of the body is drained (bounded) before the answer.
      byte[] bytes = ex.body().readNBytes((int) MAX_JSON_BYTES + 1);
      if (bytes.length > MAX_JSON_BYTES) {
        throw jsonTooLarge();
      }
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new BadRequestException("Request body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadRequestException("Request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static String requiredText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.textValue().isBlank()) {
      throw new BadRequestException("Field '" + field + "' is required and must be a non-empty string");
    }
    return node.textValue();
  }

  static long contentLength(Exchange ex) {
    String header = ex.header("Content-Length");
    return header == null ? -1 : parseLong(header, "Content-Length");
  }

  static long parseLong(String value, String header) {
    try {
      long v = Long.parseLong(value.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadRequestException(header + " must be a non-negative integer, got '" + value + "'");
    }
  }

  static Optional<String> queryParam(Exchange ex, String name) {
    String query = ex.rawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw methodNotAllowed(method);
    }
  }

  static MethodNotAllowedException methodNotAllowed(String method) {
    return new MethodNotAllowedException("Method " + method + " is not supported here; see /openapi.json");
  }

  static final class MethodNotAllowedException extends IngestionException {
    MethodNotAllowedException(String message) {
      super(ErrorCategory.USER_ERROR, "METHOD_NOT_ALLOWED", message, null);
    }
  }

  static void sendJson(Exchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, Json.MAPPER.writeValueAsBytes(body), "application/json");
  }

  static void send(Exchange ex, int status, byte[] body, String contentType) {
    ex.send(status, body, contentType);
  }

  /** The status for each failure kind. */
  static int statusOf(Throwable t) {
    if (t instanceof AuthenticationException) {
      return 401;
    } else if (t instanceof AccessDeniedException) {
      return 403;
    } else if (t instanceof ResourceNotFoundException) {
      return 404;
    } else if (t instanceof MethodNotAllowedException) {
      return 405;
    } else if (t instanceof ConflictException) {
      return 409;
    } else if (t instanceof UploadEndpoints.TusVersionException) {
      return 412;
    } else if (t instanceof LimitExceededException) {
      return 413;
    } else if (t instanceof UnsupportedFormatException) {
      return 415;
    } else if (t instanceof InvalidContentException || t instanceof InvalidSchemaException) {
      return 422;
    } else if (t instanceof RateLimitException) {
      return 429;
    } else if (t instanceof BadRequestException) {
      return 400;
    } else if (t instanceof IngestionException ie) {
      return switch (ie.category()) {
        case USER_ERROR -> 400;
        case EXTERNAL -> 503;
        case INTERNAL -> 500;
      };
    }
    return 500;
  }

  /**
   * Answers a failed request with the JSON error. What is left of a rejected body is drained first (up to
   * {@code ledgerlake.ingestion.http.error-drain-bytes}, without holding a thread) so that a client still sending
   * reads the answer instead of a connection reset; a larger remainder, a body from an unauthenticated client and
   * a body the client never sent (Expect: 100-continue) are not read: the answer says Connection: close.
   */
  private void fail(Exchange ex, Throwable t) {
    if (ex.answered()) {
      LOG.debug("Request {} {} failed after its answer was sent", ex.method(), ex.path(), t);
      return;
    }
    int status = statusOf(t);
    String code;
    String message;
    IOException bodyFailure = ex.bodyFailure();
    if (bodyFailure != null && !(t instanceof IngestionException && status < 500)) {
      // The client's fault however the read failure was wrapped on its way up: it closed early or went silent.
      if (ex.bodyTimedOut()) {
        status = 408;
        code = "REQUEST_TIMEOUT";
        message = "No request body bytes arrived within the idle timeout (" + IngestionOptions.HTTP_IDLE_TIMEOUT
            + ") after " + ex.bodyBytesRead() + " bytes; nothing was stored";
      } else {
        status = 400;
        code = "INCOMPLETE_BODY";
        message = "The request body ended after " + ex.bodyBytesRead() + " bytes"
            + (ex.declaredLength() >= 0 ? ", before its Content-Length of " + ex.declaredLength() : "")
            + " (" + bodyFailure.getMessage() + "); nothing was stored";
      }
    } else if (t instanceof IngestionException ie) {
      code = ie.code();
      message = ie.getMessage();
    } else {
      String reference = UUID.randomUUID().toString();
      code = "INTERNAL";
      message = "Internal error (reference " + reference + "); the server log has the details";
      LOG.error("Request {} {} failed, reference {}", ex.method(), ex.path(), reference, t);
    }
    if (status >= 500 && t instanceof IngestionException) {
      LOG.warn("Request {} {} failed: {}", ex.method(), ex.path(), message, t);
    } else if (status < 500) {
      LOG.info("Request {} {} rejected with {} {}: {}", ex.method(), ex.path(), status, code, message);
    }
    if (t instanceof RateLimitException rl) {
      ex.setHeader("Retry-After", Long.toString(Math.max(1, rl.retryAfter().toSeconds())));
    }
    if (status == 401) {
      ex.setHeader("WWW-Authenticate", "Bearer");
    }
    if (ex.path().startsWith("/v1/uploads/")) {
      UploadEndpoints.tusHeaders(ex);
    }
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("code", code);
    json.put("message", message);
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(json);
    } catch (IOException e) {
      body = null;
    }
    int finalStatus = status;
    byte[] finalBody = body;
    Runnable answer = () -> {
      try {
        ex.send(finalStatus, finalBody, "application/json");
      } catch (RuntimeException e) {
        LOG.debug("Could not send error response", e);
        ex.abort(e);
      }
    };
    long remaining = ex.declaredLength() >= 0 ? ex.declaredLength() - ex.bodyBytesRead() : -1;
    if (ex.bodyComplete()) {
      answer.run();
    } else if (bodyFailure != null || t instanceof AuthenticationException
        || (ex.expectsContinue() && !ex.bodyRequested()) || remaining > errorDrainBytes) {
      ex.closeAfterResponse();
      answer.run();
    } else {
      ex.drainThen(errorDrainBytes, complete -> {
        if (!complete) {
          ex.closeAfterResponse();
        }
        answer.run();
      });
    }
  }
}
