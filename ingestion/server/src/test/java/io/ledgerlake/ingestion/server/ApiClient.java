package io.ledgerlake.ingestion.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Test client over real loopback HTTP; the CLI's client will look much like this. */
final class ApiClient {
  record Response(int status, JsonNode json, HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  String token;

  ApiClient(URI base) {
    this.base = base;
  }

  ApiClient login(DevKeyFile key) throws Exception {
    Response challenge = postJson("/v1/auth/challenge", "{\"address\":\"" + key.address() + "\"}");
    String message = challenge.json().get("message").asText();
    Response login = postJson("/v1/auth/login", Json.MAPPER.createObjectNode().put("message", message)
        .put("signature", key.sign(message)).toString());
    if (login.status() != 200) {
      throw new AssertionError("login failed: " + login.raw().body());
    }
    token = login.json().get("token").asText();
    return this;
  }

  Response postJson(String path, String json) throws Exception {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response get(String path) throws Exception {
    return send(request(path).GET());
  }

  Response upload(String datasetId, String contentType, byte[] body) throws Exception {
    return send(request("/v1/datasets/" + datasetId + "/uploads?filename=data")
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  String createDataset(String json) throws Exception {
    Response r = postJson("/v1/datasets", json);
    if (r.status() != 201) {
      throw new AssertionError("dataset creation failed: " + r.raw().body());
    }
    return r.json().get("id").asText();
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> raw = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = raw.body() == null || raw.body().isEmpty() ? null : Json.MAPPER.readTree(raw.body());
    return new Response(raw.statusCode(), json, raw);
  }
}
