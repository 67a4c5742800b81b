package io.ledgerlake.ingestion.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.format.BoundedInput;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Java client of the upload API, for the CLI ({@code ledgerlake login / submit / status}) and tests. Uploads go
 * through the resumable (tus 1.0) protocol in chunks, so a broken connection resumes from the server's confirmed
 * offset instead of starting over.
 */
public final class IngestionClient {
  /** Result of a finished upload. */
  public record UploadResult(String submissionId, String cid, boolean duplicate) {}

  /**
   * Bytes per PATCH. Each request costs a round trip and the server syncs what it received every few MiB within one
   * (so progress is kept either way); 64 MiB chunks upload a 1 GB file about a fifth faster over loopback than 8 MiB
   * ones (docs/benchmarks.md). Streamed from the file, never held in memory.
   */
  private static final int DEFAULT_CHUNK = 64 << 20;
  private static final int MAX_RESUMES = 5;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final Optional<String> token;
  private final int chunkBytes;

  public IngestionClient(URI base, Optional<String> token) {
    this(base, token, DEFAULT_CHUNK);
  }

  public IngestionClient(URI base, Optional<String> token, int chunkBytes) {
    this.base = base;
    this.token = token;
    this.chunkBytes = chunkBytes;
  }

  /** A client that uses {@code newToken}. */
  public IngestionClient withToken(String newToken) {
    return new IngestionClient(base, Optional.of(newToken), chunkBytes);
  }

  /** SIWE: challenge, sign with the key file, log in. @return the API token */
  public String login(DevKeyFile key) {
    JsonNode challenge = json(send(post("/v1/auth/challenge",
        Json.MAPPER.createObjectNode().put("address", key.address())), 200));
    String message = challenge.get("message").asText();
    JsonNode login = json(send(post("/v1/auth/login",
        Json.MAPPER.createObjectNode().put("message", message).put("signature", key.sign(message))), 200));
    return login.get("token").asText();
  }

  /** @return the new dataset's id */
  public String createDataset(JsonNode definition) {
    return json(send(post("/v1/datasets", definition), 201)).get("id").asText();
  }

  public JsonNode dataset(String id) {
    return json(send(request("/v1/datasets/" + id).GET(), 200));
  }

  public JsonNode status(String submissionId) {
    return json(send(request("/v1/submissions/" + submissionId).GET(), 200));
  }

  /**
   * Uploads a file resumably.
   *
   * @param contentType null to derive it from the file name
   * @param progress receives the server-confirmed byte offset after each chunk
   */
  public UploadResult upload(String datasetId, Path file, String contentType, LongConsumer progress)
      throws IOException {
    String type = contentType != null ? contentType : contentTypeOf(file);
    long length = Files.size(file);
    String metadata = "filename " + b64(file.getFileName().toString()) + ",filetype " + b64(type);
    HttpResponse<String> created = send(request("/v1/datasets/" + datasetId + "/uploads")
        .header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(length))
        .header("Upload-Metadata", metadata).POST(HttpRequest.BodyPublishers.noBody()), 201);
    String location = created.headers().firstValue("Location")
        .orElseThrow(() -> new IngestionClientException(201, "PROTOCOL", "Server sent no Location", null));
    long offset = 0;
    int resumes = 0;
    HttpResponse<String> last = null;
    while (offset < length || last == null) {
      long n = Math.min(chunkBytes, length - offset);
      long from = offset;
      HttpRequest.BodyPublisher chunk = HttpRequest.BodyPublishers.fromPublisher(
          HttpRequest.BodyPublishers.ofInputStream(() -> region(file, from, n)), n);
      try {
        last = send(request(location).header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", Long.toString(offset))
            .method("PATCH", chunk), 204);
        offset = Long.parseLong(last.headers().firstValue("Upload-Offset").orElse("-1"));
      } catch (IngestionClientException e) {
        if (e.status() != 0 && e.status() != 409 || ++resumes > MAX_RESUMES) {
          throw e;
        }
        // Connection trouble or a stale offset: ask the server where it stands and go on from there.
        offset = Long.parseLong(send(request(location).header("Tus-Resumable", "1.0.0")
            .method("HEAD", HttpRequest.BodyPublishers.noBody()), 200)
            .headers().firstValue("Upload-Offset").orElse("0"));
      }
      progress.accept(offset);
    }
    return new UploadResult(last.headers().firstValue("LedgerLake-Submission-Id").orElse(""),
        last.headers().firstValue("LedgerLake-Cid").orElse(""),
        Boolean.parseBoolean(last.headers().firstValue("LedgerLake-Duplicate").orElse("false")));
  }

  /** Bytes {@code [from, from + n)} of a file as a stream. */
  private static InputStream region(Path file, long from, long n) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(from);
      return new BoundedInput(in, n);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Media type for an upload from its file name. */
  public static String contentTypeOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".zip")) {
      return DataFormat.ZIP_MEDIA_TYPE;
    }
    if (name.endsWith(".tar")) {
      return DataFormat.TAR_MEDIA_TYPE;
    }
    if (name.endsWith(".md") || name.endsWith(".markdown")) {
      return "text/markdown";
    }
    return DataFormat.fromFileName(name).map(f -> f.mediaTypes().get(0)).orElseThrow(() ->
        new IllegalArgumentException("Cannot tell the format of " + file + " from its name; pass a content type"));
  }

  private HttpRequest.Builder post(String path, JsonNode body) {
    return request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder request, int expected) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IngestionClientException(0, "UNREACHABLE", "Cannot reach " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestionClientException(0, "INTERRUPTED", "Interrupted talking to " + base, e);
    }
    if (response.statusCode() != expected) {
      String code = "HTTP_" + response.statusCode();
      String message = response.body();
      try {
        JsonNode error = Json.MAPPER.readTree(response.body());
        code = error.path("code").asText(code);
        message = error.path("message").asText(message);
      } catch (IOException | RuntimeException notJson) {
        // keep the raw body
      }
      throw new IngestionClientException(response.statusCode(), code, message, null);
    }
    return response;
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new IngestionClientException(response.statusCode(), "PROTOCOL", "Server sent invalid JSON", e);
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
