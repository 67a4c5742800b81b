package io.ledgerlake.ingestion.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.ledgerlake.ingestion.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;
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
import java.io.OutputStream;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (see docs/api.md and {@code /openapi.json}). One handler with an explicit route table, so that every
 * failure goes through one error mapping: a JSON body {@code {"code", "message"}} and a status derived from the
 * exception kind. User errors are logged without stack traces.
 */
final class HttpApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  static final String TUS_VERSION = "1.0.0";
  private static final long MAX_JSON_BYTES = 1 << 20;
  private static final long MAX_DRAIN_BYTES = 8L << 20;

  private static final Pattern DATASET = Pattern.compile("/v1/datasets/([^/]+)");
  private static final Pattern DATASET_UPLOADS = Pattern.compile("/v1/datasets/([^/]+)/uploads");
  private static final Pattern DATASET_LABEL_SCHEMA = Pattern.compile("/v1/datasets/([^/]+)/label-schema");
  private static final Pattern UPLOAD = Pattern.compile("/v1/uploads/([^/]+)");
  private static final Pattern SUBMISSION = Pattern.compile("/v1/submissions/([^/]+)");

  /**
   * Every route: method and path pattern. Kept in sync with openapi.json by a test. The annotation routes (tasks,
   * annotations, reviews) are served by an {@link ApiExtension} when one is registered ({@code ledgerlake up}).
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
  private final Clock clock;
  private final byte[] openApi;
  private final List<ApiExtension> extensions;

  HttpApi(TokenStore tokens, SiweAuthenticator siwe, DatasetStore datasets, SubmissionStore submissions,
      UploadService uploads, ResumableUploads resumable, SubmissionStatusSource statusSource, long maxUploadBytes,
      Clock clock, List<ApiExtension> extensions) throws IOException {
    this.extensions = List.copyOf(extensions);
    this.tokens = tokens;
    this.siwe = siwe;
    this.datasets = datasets;
    this.submissions = submissions;
    this.uploads = uploads;
    this.resumable = resumable;
    this.statusSource = statusSource;
    this.maxUploadBytes = maxUploadBytes;
    this.clock = clock;
    try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IOException("openapi.json is missing from the server jar");
      }
      this.openApi = in.readAllBytes();
    }
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (Throwable t) {
      sendError(exchange, t);
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = ex.getRequestURI().getPath();
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
        if (ex.getRequestHeaders().containsKey("Tus-Resumable")) {
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
      if (path.equals("/v1/annotations") || path.equals("/v1/reviews") || path.endsWith("/tasks")) {
        throw new ResourceNotFoundException("Annotation endpoints are not enabled on this server: they are served by"
            + " 'ledgerlake up' (the labeling extension); see docs/api.md");
      }
      throw new ResourceNotFoundException("No such endpoint: " + method + " " + path + "; see /openapi.json");
    }
  }

  // ---- auth -------------------------------------------------------------------------------------------------

  private void challenge(HttpExchange ex) throws IOException {
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

  private void login(HttpExchange ex) throws IOException {
    JsonNode body = readJson(ex);
    ApiToken token = siwe.login(requiredText(body, "message"), requiredText(body, "signature"));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("token", token.secret());
    out.put("tokenId", token.id());
    out.put("address", token.address());
    out.put("expiresAt", token.expiresAt().toString());
    sendJson(ex, 200, out);
  }

  private void logout(HttpExchange ex) throws IOException {
    String secret = bearer(ex);
    tokens.authenticate(secret);
    tokens.revoke(secret);
    send(ex, 204, null, null);
  }

  String authenticate(HttpExchange ex) {
    return tokens.authenticate(bearer(ex));
  }

  private Optional<String> optionalCaller(HttpExchange ex) {
    String secret = bearer(ex);
    return secret == null ? Optional.empty() : Optional.of(tokens.authenticate(secret));
  }

  private static String bearer(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      return null;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException("TOKEN_MISSING", "Authorization header must be 'Bearer <token>'");
    }
    return header.substring(7).trim();
  }

  // ---- datasets ---------------------------------------------------------------------------------------------

  private void createDataset(HttpExchange ex) throws IOException {
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
    ex.getResponseHeaders().set("Location", "/v1/datasets/" + dataset.id());
    sendJson(ex, 201, dataset.toJson());
  }

  /** The dataset owner sets or replaces the label schema; answers already stored are kept as they are. */
  private void putLabelSchema(HttpExchange ex, String id) throws IOException {
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

  private void getDataset(HttpExchange ex, String id) throws IOException {
    DatasetDefinition dataset = readableDataset(ex, id);
    sendJson(ex, 200, dataset.toJson());
  }

  DatasetDefinition readableDataset(HttpExchange ex, String id) {
    DatasetDefinition dataset = datasets.require(id);
    if (!dataset.readableBy(optionalCaller(ex))) {
      // Same answer as for a missing dataset: private datasets do not reveal that they exist.
      throw new ResourceNotFoundException("Dataset " + id + " does not exist");
    }
    return dataset;
  }

  // ---- direct upload ----------------------------------------------------------------------------------------

  private void upload(HttpExchange ex, String datasetId) throws IOException {
    String contributor = authenticate(ex);
    long length = contentLength(ex);
    String fileName = queryParam(ex, "filename").orElse("");
    // The body is not closed here: on failure, sendError drains it so the client can read the error response.
    UploadOutcome outcome = uploads.upload(datasetId, contributor, ex.getRequestHeaders().getFirst("Content-Type"),
        fileName, length, ex.getRequestBody());
    if (!outcome.duplicate()) {
      ex.getResponseHeaders().set("Location", "/v1/submissions/" + outcome.submissionId());
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

  private void tusOptions(HttpExchange ex) throws IOException {
    tusHeaders(ex);
    ex.getResponseHeaders().set("Tus-Version", TUS_VERSION);
    ex.getResponseHeaders().set("Tus-Extension", "creation,termination");
    ex.getResponseHeaders().set("Tus-Max-Size", Long.toString(maxUploadBytes));
    send(ex, 204, null, null);
  }

  private void tusCreate(HttpExchange ex, String datasetId) throws IOException {
    checkTusVersion(ex);
    String contributor = authenticate(ex);
    String lengthHeader = ex.getRequestHeaders().getFirst("Upload-Length");
    if (lengthHeader == null) {
      throw new BadRequestException("Upload-Length header is required (deferred length is not supported)");
    }
    long length = parseLong(lengthHeader, "Upload-Length");
    Map<String, String> metadata = tusMetadata(ex.getRequestHeaders().getFirst("Upload-Metadata"));
    String contentType = metadata.getOrDefault("filetype", metadata.getOrDefault("contentType", ""));
    ResumableUploads.Session session = resumable.create(datasetId, contributor, length, contentType,
        metadata.getOrDefault("filename", ""));
    tusHeaders(ex);
    ex.getResponseHeaders().set("Location", "/v1/uploads/" + session.id());
    ex.getResponseHeaders().set("Upload-Offset", "0");
    send(ex, 201, null, null);
  }

  private void tusHead(HttpExchange ex, String uploadId) throws IOException {
    checkTusVersion(ex);
    ResumableUploads.Session session = resumable.get(uploadId, authenticate(ex));
    tusHeaders(ex);
    ex.getResponseHeaders().set("Upload-Offset", Long.toString(session.offset()));
    ex.getResponseHeaders().set("Upload-Length", Long.toString(session.length()));
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    session.outcome().ifPresent(o -> outcomeHeaders(ex, o));
    ex.sendResponseHeaders(200, -1);
  }

  private void tusPatch(HttpExchange ex, String uploadId) throws IOException {
    checkTusVersion(ex);
    String contributor = authenticate(ex);
    String contentType = DataFormat.normalizeMediaType(ex.getRequestHeaders().getFirst("Content-Type"));
    if (!contentType.equals("application/offset+octet-stream")) {
      throw new UnsupportedFormatException("PATCH of a resumable upload needs Content-Type "
          + "application/offset+octet-stream (tus 1.0), got '" + contentType + "'");
    }
    String offsetHeader = ex.getRequestHeaders().getFirst("Upload-Offset");
    if (offsetHeader == null) {
      throw new BadRequestException("Upload-Offset header is required");
    }
    ResumableUploads.Session session =
        resumable.append(uploadId, contributor, parseLong(offsetHeader, "Upload-Offset"), ex.getRequestBody());
    tusHeaders(ex);
    ex.getResponseHeaders().set("Upload-Offset", Long.toString(session.offset()));
    session.outcome().ifPresent(o -> outcomeHeaders(ex, o));
    send(ex, 204, null, null);
  }

  private void tusDelete(HttpExchange ex, String uploadId) throws IOException {
    checkTusVersion(ex);
    resumable.delete(uploadId, authenticate(ex));
    tusHeaders(ex);
    send(ex, 204, null, null);
  }

  private void getUpload(HttpExchange ex, String uploadId) throws IOException {
    ResumableUploads.Session session = resumable.get(uploadId, authenticate(ex));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("uploadId", session.id());
    out.put("datasetId", session.datasetId());
    out.put("offset", session.offset());
    out.put("length", session.length());
    session.outcome().ifPresent(o -> out.set("submission", outcomeJson(o)));
    sendJson(ex, 200, out);
  }

  private static void outcomeHeaders(HttpExchange ex, UploadOutcome o) {
    ex.getResponseHeaders().set("LedgerLake-Submission-Id", o.submissionId());
    ex.getResponseHeaders().set("LedgerLake-Cid", o.cid());
    ex.getResponseHeaders().set("LedgerLake-Duplicate", Boolean.toString(o.duplicate()));
  }

  private static void tusHeaders(HttpExchange ex) {
    ex.getResponseHeaders().set("Tus-Resumable", TUS_VERSION);
  }

  private static void checkTusVersion(HttpExchange ex) {
    String version = ex.getRequestHeaders().getFirst("Tus-Resumable");
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

  private void getSubmission(HttpExchange ex, String id) throws IOException {
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

  static JsonNode readJson(HttpExchange ex) throws IOException {
    String contentType = DataFormat.normalizeMediaType(ex.getRequestHeaders().getFirst("Content-Type"));
    if (!contentType.equals("application/json")) {
      throw new UnsupportedFormatException("Send this request as Content-Type application/json, got '"
          + contentType + "'");
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes((int) MAX_JSON_BYTES + 1);
      if (bytes.length > MAX_JSON_BYTES) {
        throw new LimitExceededException("REQUEST_TOO_LARGE", "", "JSON request bodies are limited to "
            + MAX_JSON_BYTES + " bytes");
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

  private static long contentLength(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("Content-Length");
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

  static Optional<String> queryParam(HttpExchange ex, String name) {
    String query = ex.getRequestURI().getRawQuery();
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

  static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, Json.MAPPER.writeValueAsBytes(body), "application/json");
  }

  private static void send(HttpExchange ex, int status, byte[] body, String contentType) throws IOException {
    if (contentType != null) {
      ex.getResponseHeaders().set("Content-Type", contentType);
    }
    if (body == null || body.length == 0) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Reads (and discards) what is left of a rejected request's body, up to a bound, so that an HTTP client that is
   * still sending gets to read the error instead of a connection reset. Larger bodies are cut off by closing.
   */
  private static void drainRequestBody(HttpExchange ex) {
    try (InputStream in = ex.getRequestBody()) {
      byte[] scratch = new byte[64 * 1024];
      long left = MAX_DRAIN_BYTES;
      int n;
      while (left > 0 && (n = in.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      // the client is gone or the body was already consumed: nothing to drain
    }
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

  private void sendError(HttpExchange ex, Throwable t) {
    int status = statusOf(t);
    String code;
    String message;
    if (t instanceof IngestionException ie) {
      code = ie.code();
      message = ie.getMessage();
    } else if (t instanceof IOException && !(t instanceof java.io.UncheckedIOException)) {
      // Almost always the client going away mid-request; the response will most likely not arrive either.
      LOG.info("Request {} {} aborted: {}", ex.getRequestMethod(), ex.getRequestURI(), t.toString());
      code = "CONNECTION";
      message = "Request body could not be read: " + t.getMessage();
    } else {
      String reference = UUID.randomUUID().toString();
      code = "INTERNAL";
      message = "Internal error (reference " + reference + "); the server log has the details";
      LOG.error("Request {} {} failed, reference {}", ex.getRequestMethod(), ex.getRequestURI(), reference, t);
    }
    if (status >= 500 && t instanceof IngestionException) {
      LOG.warn("Request {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), message, t);
    } else if (status < 500) {
      LOG.info("Request {} {} rejected with {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), status, code,
          message);
    }
    drainRequestBody(ex);
    try {
      if (t instanceof RateLimitException rl) {
        ex.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, rl.retryAfter().toSeconds())));
      }
      if (status == 401) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      }
      if (ex.getRequestURI().getPath().startsWith("/v1/uploads/")) {
        tusHeaders(ex);
      }
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.put("code", code);
      body.put("message", message);
      if ("HEAD".equalsIgnoreCase(ex.getRequestMethod())) {
        ex.sendResponseHeaders(status, -1);
      } else {
        sendJson(ex, status, body);
      }
    } catch (IOException | IllegalStateException e) {
      // Headers already sent or the client went away: nothing more we can tell it.
      LOG.debug("Could not send error response", e);
    }
  }
}
