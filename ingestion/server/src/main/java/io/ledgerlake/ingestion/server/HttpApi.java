package io.ledgerlake.ingestion.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.InvalidSchemaException;
import io.ledgerlake.ingestion.LimitExceededException;
import io.ledgerlake.ingestion.UnsupportedFormatException;
import io.ledgerlake.ingestion.auth.ApiToken;
import io.ledgerlake.ingestion.auth.AuthenticationException;
import io.ledgerlake.ingestion.auth.SiweAuthenticator;
import io.ledgerlake.ingestion.auth.SiweMessage;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.ingestion.dataset.Addresses;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.dataset.SubmitPolicy;
import io.ledgerlake.ingestion.dataset.Visibility;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.status.SubmissionProgress;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (see docs/api.md and {@code /openapi.json}). One handler with an explicit route table, so that every
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
  static final String TUS_VERSION = "1.0.0";
  private static final long MAX_JSON_BYTES = 1 << 20;
  private static final java.util.Set<String> BODY_METHODS = java.util.Set.of("POST", "PUT", "PATCH", "DELETE");

  private static final Pattern DATASET = Pattern.compile("/v1/datasets/([^/]+)");
  private static final Pattern DATASET_UPLOADS = Pattern.compile("/v1/datasets/([^/]+)/uploads");
  private static final Pattern DATASET_LABEL_SCHEMA = Pattern.compile("/v1/datasets/([^/]+)/label-schema");
  private static final Pattern UPLOAD = Pattern.compile("/v1/uploads/([^/]+)");
  private static final Pattern SUBMISSION = Pattern.compile("/v1/submissions/([^/]+)");

  /**
   * Every route: method and path pattern. Kept in sync with openapi.json by a test. The annotation routes (tasks,
   * annotations, reviews) and the RAG query are served by {@link ApiExtension}s when registered ({@code ledgerlake up}).
   */
  static final List<String> ROUTES = List.of(
      "GET /openapi.json",
      "GET /health",
      "POST /v1/auth/challenge",
      "POST /v1/auth/login",
      "POST /v1/auth/logout",
      "POST /v1/datasets",
      "GET /v1/datasets/{id}",
      "PUT /v1/datasets/{id}/label-schema",
      "GET /v1/datasets/{id}/tasks",
      "POST /v1/annotations",
      "POST /v1/reviews",
      "POST /v1/rag/query",
      "POST /v1/datasets/{id}/uploads",
      "OPTIONS /v1/datasets/{id}/uploads",
      "HEAD /v1/uploads/{uploadId}",
      "PATCH /v1/uploads/{uploadId}",
      "DELETE /v1/uploads/{uploadId}",
      "GET /v1/uploads/{uploadId}",
      "GET /v1/submissions/{id}");

  private final TokenStore tokens;
  private final SiweAuthenticator siwe;
  private final DatasetStore datasets;
  private final SubmissionStore submissions;
  private final UploadService uploads;
  private final ResumableUploads resumable;
  private final SubmissionStatusSource statusSource;
  private final long maxUploadBytes;
  private final long errorDrainBytes;
  private final Clock clock;
  private final byte[] openApi;
  private final List<ApiExtension> extensions;

  HttpApi(TokenStore tokens, SiweAuthenticator siwe, DatasetStore datasets, SubmissionStore submissions,
      UploadService uploads, ResumableUploads resumable, SubmissionStatusSource statusSource, long maxUploadBytes,
      long errorDrainBytes, Clock clock, List<ApiExtension> extensions) throws IOException {
    this.extensions = List.copyOf(extensions);
    this.tokens = tokens;
    this.siwe = siwe;
    this.datasets = datasets;
    this.submissions = submissions;
    this.uploads = uploads;
    this.resumable = resumable;
    this.statusSource = statusSource;
    this.maxUploadBytes = maxUploadBytes;
    this.errorDrainBytes = errorDrainBytes;
    this.clock = clock;
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
    if (DATASET_UPLOADS.matcher(path).matches() && !ex.hasHeader("Tus-Resumable")) {
      uploads.checkDeclaredLength(ex.declaredLength());
    } else if (!UPLOAD.matcher(path).matches() && ex.declaredLength() > MAX_JSON_BYTES) {
      throw jsonTooLarge();
    }
  }

  private static LimitExceededException jsonTooLarge() {
    return new LimitExceededException("REQUEST_TOO_LARGE", "", "JSON request bodies are limited to "
        + MAX_JSON_BYTES + " bytes");
  }

  private void route(Exchange ex) throws IOException {
    String method = ex.method().toUpperCase(Locale.ROOT);
    String path = ex.path();
    Matcher m;
    if (path.equals("/openapi.json") && method.equals("GET")) {
      send(ex, 200, openApi, "application/json");
    } else if (path.equals("/v1/auth/challenge")) {
      requireMethod(method, "POST");
      challenge(ex);
    } else if (path.equals("/v1/auth/login")) {
      requireMethod(method, "POST");
      login(ex);
    } else if (path.equals("/v1/auth/logout")) {
      requireMethod(method, "POST");
      logout(ex);
    } else if (path.equals("/v1/datasets")) {
      requireMethod(method, "POST");
      createDataset(ex);
    } else if ((m = DATASET_UPLOADS.matcher(path)).matches()) {
      if (method.equals("OPTIONS")) {
        tusOptions(ex);
      } else {
        requireMethod(method, "POST");
        if (ex.hasHeader("Tus-Resumable")) {
          tusCreate(ex, m.group(1));
        } else {
          upload(ex, m.group(1));
        }
      }
    } else if ((m = DATASET_LABEL_SCHEMA.matcher(path)).matches()) {
      requireMethod(method, "PUT");
      putLabelSchema(ex, m.group(1));
    } else if ((m = DATASET.matcher(path)).matches()) {
      requireMethod(method, "GET");
      getDataset(ex, m.group(1));
    } else if ((m = UPLOAD.matcher(path)).matches()) {
      switch (method) {
        case "HEAD" -> tusHead(ex, m.group(1));
        case "PATCH" -> tusPatch(ex, m.group(1));
        case "DELETE" -> tusDelete(ex, m.group(1));
        case "GET" -> getUpload(ex, m.group(1));
        case "OPTIONS" -> tusOptions(ex);
        default -> throw methodNotAllowed(method);
      }
    } else if ((m = SUBMISSION.matcher(path)).matches()) {
      requireMethod(method, "GET");
      getSubmission(ex, m.group(1));
    } else {
      ApiRequest request = new ApiRequest(this, ex);
      for (ApiExtension extension : extensions) {
        if (extension.handle(request)) {
          return;
        }
      }
      if (path.equals("/v1/rag/query")) {
        throw new ResourceNotFoundException("The RAG query endpoint is not enabled on this server: it is served by"
            + " 'ledgerlake up' when a chain is configured or the local one is up; see docs/api.md");
      }
      if (path.equals("/v1/annotations") || path.equals("/v1/reviews") || path.endsWith("/tasks")) {
        throw new ResourceNotFoundException("Annotation endpoints are not enabled on this server: they are served by"
            + " 'ledgerlake up' (the labeling extension); see docs/api.md");
      }
      throw new ResourceNotFoundException("No such endpoint: " + method + " " + path + "; see /openapi.json");
    }
  }

  // ---- auth -------------------------------------------------------------------------------------------------

  private void challenge(Exchange ex) throws IOException {
    JsonNode body = readJson(ex);
    String address = requiredText(body, "address");
    SiweMessage message;
    try {
      message = siwe.challenge(address);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("message", message.render());
    out.put("nonce", message.nonce());
    out.put("expiresAt", message.expirationTime().map(Object::toString).orElse(""));
    sendJson(ex, 200, out);
  }

  private void login(Exchange ex) throws IOException {
    JsonNode body = readJson(ex);
    ApiToken token = siwe.login(requiredText(body, "message"), requiredText(body, "signature"));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("token", token.secret());
    out.put("tokenId", token.id());
    out.put("address", token.address());
    out.put("expiresAt", token.expiresAt().toString());
    sendJson(ex, 200, out);
  }

  private void logout(Exchange ex) throws IOException {
    String secret = bearer(ex);
    tokens.authenticate(secret);
    tokens.revoke(secret);
    send(ex, 204, null, null);
  }

  String authenticate(Exchange ex) {
    if (ex.caller == null) {
      ex.caller = tokens.authenticate(bearer(ex));
    }
    return ex.caller;
  }

  private Optional<String> optionalCaller(Exchange ex) {
    String secret = bearer(ex);
    return secret == null ? Optional.empty() : Optional.of(tokens.authenticate(secret));
  }

  private static String bearer(Exchange ex) {
    String header = ex.header("Authorization");
    if (header == null) {
      return null;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException("TOKEN_MISSING", "Authorization header must be 'Bearer <token>'");
    }
    return header.substring(7).trim();
  }

  // ---- datasets ---------------------------------------------------------------------------------------------

  private void createDataset(Exchange ex) throws IOException {
    String owner = authenticate(ex);
    JsonNode body = readJson(ex);
    DatasetDefinition dataset;
    try {
      DataFormat format = DataFormat.fromId(requiredText(body, "format"));
      Optional<DatasetSchema> schema = body.hasNonNull("schema")
          ? Optional.of(DatasetSchema.fromJson(body.get("schema"))) : Optional.empty();
      Visibility visibility = Visibility.valueOf(body.path("visibility").asText("public").toUpperCase(Locale.ROOT));
      JsonNode submitters = body.path("submitters");
      List<String> allowlist = new ArrayList<>();
      submitters.path("allowlist").forEach(a -> allowlist.add(a.asText()));
      SubmitPolicy policy = new SubmitPolicy(
          SubmitPolicy.Mode.valueOf(submitters.path("mode").asText("open").toUpperCase(Locale.ROOT)), allowlist);
      JsonNode labelSchema = body.hasNonNull("labelSchema") ? validLabelSchema(body.get("labelSchema")) : null;
      // A client may choose the id (scripts and the demo want a stable one); otherwise we assign it.
      String id = body.hasNonNull("id") ? body.get("id").asText() : Ids.newId("ds", clock.instant());
      if (body.hasNonNull("id")) {
        if (!Ids.isWellFormed(id)) {
          throw new BadRequestException("Dataset id '" + id + "' is not well formed: use lower-case letters, a dash,"
              + " then 8 to 40 lower-case letters or digits, e.g. ds-demo0001");
        }
        if (datasets.get(id).isPresent()) {
          throw new ConflictException("Dataset " + id + " already exists; choose another id or omit it");
        }
      }
      dataset = new DatasetDefinition(id, requiredText(body, "name"),
          body.path("description").asText(""), format, schema,
          labelSchema == null || labelSchema.isNull() ? "" : labelSchema.toString(), visibility, owner, policy,
          clock.instant());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid dataset definition: " + e.getMessage());
    }
    datasets.put(dataset);
    LOG.info("Created dataset {} ({}) owned by {}", dataset.id(), dataset.format().id(), owner);
    ex.setHeader("Location", "/v1/datasets/" + dataset.id());
    sendJson(ex, 201, dataset.toJson());
  }

  /** The dataset owner sets or replaces the label schema; answers already stored are kept as they are. */
  private void putLabelSchema(Exchange ex, String id) throws IOException {
    String caller = authenticate(ex);
    DatasetDefinition dataset = readableDataset(ex, id);
    if (!dataset.owner().equals(caller)) {
      throw new AccessDeniedException("Only the owner of dataset " + id + " (" + dataset.owner()
          + ") may set its label schema; sign in with that address");
    }
    JsonNode schema = validLabelSchema(readJson(ex));
    DatasetDefinition updated = dataset.withLabelSchema(schema.toString());
    datasets.put(updated);
    LOG.info("Label schema of dataset {} set by {}", id, caller);
    sendJson(ex, 200, updated.toJson());
  }

  private JsonNode validLabelSchema(JsonNode labelSchema) {
    try {
      JsonNode out = labelSchema;
      for (ApiExtension extension : extensions) {
        out = extension.validateLabelSchema(out);
      }
      if (out == null || !out.isObject()) {
        throw new IllegalArgumentException("labelSchema must be a JSON object; see docs/labeling.md");
      }
      return out;
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid labelSchema: " + e.getMessage());
    }
  }

  private void getDataset(Exchange ex, String id) throws IOException {
    DatasetDefinition dataset = readableDataset(ex, id);
    sendJson(ex, 200, dataset.toJson());
  }

  DatasetDefinition readableDataset(Exchange ex, String id) {
    DatasetDefinition dataset = datasets.require(id);
    if (!dataset.readableBy(optionalCaller(ex))) {
      // Same answer as for a missing dataset: private datasets do not reveal that they exist.
      throw new ResourceNotFoundException("Dataset " + id + " does not exist");
    }
    return dataset;
  }

  // ---- direct upload ----------------------------------------------------------------------------------------

  private void upload(Exchange ex, String datasetId) throws IOException {
    String contributor = authenticate(ex);
    long length = contentLength(ex);
    String fileName = queryParam(ex, "filename").orElse("");
    // The body is not closed here: on failure, fail() drains it so the client can read the error response.
    UploadOutcome outcome = uploads.upload(datasetId, contributor, ex.header("Content-Type"),
        fileName, length, ex.body());
    if (!outcome.duplicate()) {
      ex.setHeader("Location", "/v1/submissions/" + outcome.submissionId());
    }
    sendJson(ex, outcome.duplicate() ? 200 : 202, outcomeJson(outcome));
  }

  private static ObjectNode outcomeJson(UploadOutcome outcome) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("submissionId", outcome.submissionId());
    out.put("datasetId", outcome.datasetId());
    out.put("cid", outcome.cid());
    out.put("byteCount", outcome.byteCount());
    out.put("duplicate", outcome.duplicate());
    out.put("status", "received");
    out.put("statusUrl", "/v1/submissions/" + outcome.submissionId());
    return out;
  }

  // ---- tus (resumable uploads) ------------------------------------------------------------------------------

  private void tusOptions(Exchange ex) throws IOException {
    tusHeaders(ex);
    ex.setHeader("Tus-Version", TUS_VERSION);
    ex.setHeader("Tus-Extension", "creation,termination");
    ex.setHeader("Tus-Max-Size", Long.toString(maxUploadBytes));
    send(ex, 204, null, null);
  }

  private void tusCreate(Exchange ex, String datasetId) throws IOException {
    checkTusVersion(ex);
    String contributor = authenticate(ex);
    String lengthHeader = ex.header("Upload-Length");
    if (lengthHeader == null) {
      throw new BadRequestException("Upload-Length header is required (deferred length is not supported)");
    }
    long length = parseLong(lengthHeader, "Upload-Length");
    Map<String, String> metadata = tusMetadata(ex.header("Upload-Metadata"));
    String contentType = metadata.getOrDefault("filetype", metadata.getOrDefault("contentType", ""));
    ResumableUploads.Session session = resumable.create(datasetId, contributor, length, contentType,
        metadata.getOrDefault("filename", ""));
    tusHeaders(ex);
    ex.setHeader("Location", "/v1/uploads/" + session.id());
    ex.setHeader("Upload-Offset", "0");
    send(ex, 201, null, null);
  }

  private void tusHead(Exchange ex, String uploadId) throws IOException {
    checkTusVersion(ex);
    ResumableUploads.Session session = resumable.get(uploadId, authenticate(ex));
    tusHeaders(ex);
    ex.setHeader("Upload-Offset", Long.toString(session.offset()));
    ex.setHeader("Upload-Length", Long.toString(session.length()));
    ex.setHeader("Cache-Control", "no-store");
    session.outcome().ifPresent(o -> outcomeHeaders(ex, o));
    ex.send(200, null, null);
  }

  private void tusPatch(Exchange ex, String uploadId) throws IOException {
    checkTusVersion(ex);
    String contributor = authenticate(ex);
    String contentType = DataFormat.normalizeMediaType(ex.header("Content-Type"));
    if (!contentType.equals("application/offset+octet-stream")) {
      throw new UnsupportedFormatException("PATCH of a resumable upload needs Content-Type "
          + "application/offset+octet-stream (tus 1.0), got '" + contentType + "'");
    }
    String offsetHeader = ex.header("Upload-Offset");
    if (offsetHeader == null) {
      throw new BadRequestException("Upload-Offset header is required");
    }
    ResumableUploads.Session session =
        resumable.append(uploadId, contributor, parseLong(offsetHeader, "Upload-Offset"), ex.body());
    tusHeaders(ex);
    ex.setHeader("Upload-Offset", Long.toString(session.offset()));
    session.outcome().ifPresent(o -> outcomeHeaders(ex, o));
    send(ex, 204, null, null);
  }

  private void tusDelete(Exchange ex, String uploadId) throws IOException {
    checkTusVersion(ex);
    resumable.delete(uploadId, authenticate(ex));
    tusHeaders(ex);
    send(ex, 204, null, null);
  }

  private void getUpload(Exchange ex, String uploadId) throws IOException {
    ResumableUploads.Session session = resumable.get(uploadId, authenticate(ex));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("uploadId", session.id());
    out.put("datasetId", session.datasetId());
    out.put("offset", session.offset());
    out.put("length", session.length());
    session.outcome().ifPresent(o -> out.set("submission", outcomeJson(o)));
    sendJson(ex, 200, out);
  }

  private static void outcomeHeaders(Exchange ex, UploadOutcome o) {
    ex.setHeader("LedgerLake-Submission-Id", o.submissionId());
    ex.setHeader("LedgerLake-Cid", o.cid());
    ex.setHeader("LedgerLake-Duplicate", Boolean.toString(o.duplicate()));
  }

  private static void tusHeaders(Exchange ex) {
    ex.setHeader("Tus-Resumable", TUS_VERSION);
  }

  private static void checkTusVersion(Exchange ex) {
    String version = ex.header("Tus-Resumable");
    if (!TUS_VERSION.equals(version)) {
      throw new TusVersionException("Tus-Resumable: " + TUS_VERSION + " is required, got '" + version + "'");
    }
  }

  /** tus: precondition failed (412) for a missing or unsupported protocol version. */
  static final class TusVersionException extends IngestionException {
    TusVersionException(String message) {
      super(ErrorCategory.USER_ERROR, "TUS_VERSION", message, null);
    }
  }

  static Map<String, String> tusMetadata(String header) {
    Map<String, String> out = new HashMap<>();
    if (header == null || header.isBlank()) {
      return out;
    }
    for (String pair : header.split(",")) {
      String[] kv = pair.trim().split(" ", 2);
      try {
        out.put(kv[0], kv.length > 1 ? new String(Base64.getDecoder().decode(kv[1].trim()), StandardCharsets.UTF_8)
            : "");
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("Upload-Metadata value of '" + kv[0] + "' is not base64");
      }
    }
    return out;
  }

  // ---- submissions ------------------------------------------------------------------------------------------

  private void getSubmission(Exchange ex, String id) throws IOException {
    SubmissionRecord record = submissions.get(id)
        .orElseThrow(() -> new ResourceNotFoundException("Submission " + id + " does not exist"));
    SubmissionEvent event = record.event();
    Optional<String> caller = optionalCaller(ex);
    DatasetDefinition dataset = datasets.require(event.datasetId());
    if (!dataset.readableBy(caller) && !caller.map(event.contributor()::equals).orElse(false)) {
      throw new ResourceNotFoundException("Submission " + id + " does not exist");
    }
    SubmissionProgress progress = statusSource.progress(id).orElse(SubmissionProgress.received());
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("submissionId", id);
    out.put("datasetId", event.datasetId());
    out.put("contributor", event.contributor());
    out.put("cid", event.cid());
    out.put("byteCount", event.byteCount());
    out.put("contentType", event.contentType());
    out.put("fileName", event.fileName());
    out.put("receivedAt", event.receivedAt().toString());
    out.put("status", progress.state().id());
    ObjectNode counts = out.putObject("counts");
    counts.put("accepted", progress.accepted());
    counts.put("rejected", progress.rejected());
    counts.put("duplicate", progress.duplicates());
    ArrayNode sample = out.putArray("rejectionSample");
    for (Rejection r : progress.rejectionSample()) {
      ObjectNode item = sample.addObject();
      item.put("entry", r.position().entry());
      item.put("line", r.position().line());
      item.put("byteOffset", r.position().byteOffset());
      item.put("record", r.position().ordinal());
      item.put("code", r.code().name());
      item.put("reason", r.reason());
    }
    if (!progress.failure().isEmpty()) {
      out.put("failure", progress.failure());
    }
    sendJson(ex, 200, out);
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

  private static String requiredText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.textValue().isBlank()) {
      throw new BadRequestException("Field '" + field + "' is required and must be a non-empty string");
    }
    return node.textValue();
  }

  private static long contentLength(Exchange ex) {
    String header = ex.header("Content-Length");
    return header == null ? -1 : parseLong(header, "Content-Length");
  }

  private static long parseLong(String value, String header) {
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

  private static MethodNotAllowedException methodNotAllowed(String method) {
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

  private static void send(Exchange ex, int status, byte[] body, String contentType) {
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
    } else if (t instanceof TusVersionException) {
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
      tusHeaders(ex);
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
