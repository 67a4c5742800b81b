package io.ledgerlake.provenance.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Minimal JSON-RPC over HTTP for node-specific methods web3j does not wrap (anvil's evm_snapshot, evm_revert,
 * evm_increaseTime, anvil_mine, ...) and for health checks.
 */
public final class JsonRpc {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI url;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();

  public JsonRpc(URI url) {
    this.url = url;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Calls {@code method}; params may be strings, numbers, booleans or Jackson nodes. Returns the result. */
  public JsonNode call(String method, Object... params) throws IOException {
    ObjectNode req = JSON.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("id", ids.incrementAndGet());
    req.put("method", method);
    ArrayNode p = req.putArray("params");
    for (Object o : params) {
      p.add(JSON.valueToTree(o));
    }
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(req.toString()))
        .build();
    HttpResponse<String> resp;
    try {
      resp = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted calling " + method, e);
    }
    JsonNode body = JSON.readTree(resp.body());
    if (body.hasNonNull("error")) {
      throw new IOException(method + " failed: " + body.get("error"));
    }
    return body.path("result");
  }

  public URI url() {
    return url;
  }
}
