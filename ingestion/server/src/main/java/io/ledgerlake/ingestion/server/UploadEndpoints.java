package io.ledgerlake.ingestion.server;

import static io.ledgerlake.ingestion.server.HttpApi.contentLength;
import static io.ledgerlake.ingestion.server.HttpApi.parseLong;
import static io.ledgerlake.ingestion.server.HttpApi.queryParam;
import static io.ledgerlake.ingestion.server.HttpApi.requireMethod;
import static io.ledgerlake.ingestion.server.HttpApi.send;
import static io.ledgerlake.ingestion.server.HttpApi.sendJson;
import static io.ledgerlake.ingestion.server.HttpApi.methodNotAllowed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.UnsupportedFormatException;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uploads: the direct upload ({@code POST /v1/datasets/{id}/uploads}) and tus 1.0 resumable uploads (the same path
 * with {@code Tus-Resumable}, then {@code /v1/uploads/{uploadId}}).
 */
final class UploadEndpoints implements Endpoints {
  static final String TUS_VERSION = "1.0.0";
  static final Pattern DATASET_UPLOADS = Pattern.compile("/v1/datasets/([^/]+)/uploads");
  static final Pattern UPLOAD = Pattern.compile("/v1/uploads/([^/]+)");

  private final ApiAuth auth;
  private final UploadService uploads;
  private final ResumableUploads resumable;
  private final long maxUploadBytes;

  UploadEndpoints(ApiAuth auth, UploadService uploads, ResumableUploads resumable, long maxUploadBytes) {
    this.auth = auth;
    this.uploads = uploads;
    this.resumable = resumable;
    this.maxUploadBytes = maxUploadBytes;
  }

  @Override
  public boolean handle(Exchange ex, String method, String path) throws IOException {
    Matcher m;
    if ((m = DATASET_UPLOADS.matcher(path)).matches()) {
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
    } else if ((m = UPLOAD.matcher(path)).matches()) {
      switch (method) {
        case "HEAD" -> tusHead(ex, m.group(1));
        case "PATCH" -> tusPatch(ex, m.group(1));
        case "DELETE" -> tusDelete(ex, m.group(1));
        case "GET" -> getUpload(ex, m.group(1));
        case "OPTIONS" -> tusOptions(ex);
        default -> throw methodNotAllowed(method);
      }
    } else {
      return false;
    }
    return true;
  }

  private void upload(Exchange ex, String datasetId) throws IOException {
    String contributor = auth.authenticate(ex);
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

  private void tusOptions(Exchange ex) throws IOException {
    tusHeaders(ex);
    ex.setHeader("Tus-Version", TUS_VERSION);
    ex.setHeader("Tus-Extension", "creation,termination");
    ex.setHeader("Tus-Max-Size", Long.toString(maxUploadBytes));
    send(ex, 204, null, null);
  }

  private void tusCreate(Exchange ex, String datasetId) throws IOException {
    checkTusVersion(ex);
    String contributor = auth.authenticate(ex);
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
    ResumableUploads.Session session = resumable.get(uploadId, auth.authenticate(ex));
    tusHeaders(ex);
    ex.setHeader("Upload-Offset", Long.toString(session.offset()));
    ex.setHeader("Upload-Length", Long.toString(session.length()));
    ex.setHeader("Cache-Control", "no-store");
    session.outcome().ifPresent(o -> outcomeHeaders(ex, o));
    ex.send(200, null, null);
  }

  private void tusPatch(Exchange ex, String uploadId) throws IOException {
    checkTusVersion(ex);
    String contributor = auth.authenticate(ex);
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
    resumable.delete(uploadId, auth.authenticate(ex));
    tusHeaders(ex);
    send(ex, 204, null, null);
  }

  private void getUpload(Exchange ex, String uploadId) throws IOException {
    ResumableUploads.Session session = resumable.get(uploadId, auth.authenticate(ex));
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

  static void tusHeaders(Exchange ex) {
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
}
