package io.ledgerlake.ingestion.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import java.io.IOException;
import java.util.Optional;

/** One request as an {@link ApiExtension} sees it: routing facts, the caller, the body, and the way to answer. */
public final class ApiRequest {
  private final HttpApi api;
  private final Exchange exchange;

  ApiRequest(HttpApi api, Exchange exchange) {
    this.api = api;
    this.exchange = exchange;
  }

  /** Upper case, e.g. {@code GET}. */
  public String method() {
    return exchange.method();
  }

  public String path() {
    return exchange.path();
  }

  public Optional<String> queryParam(String name) {
    return HttpApi.queryParam(exchange, name);
  }

  /** The caller's EVM address (lower case) from the bearer token; 401 without a valid token. */
  public String caller() {
    return api.authenticate(exchange);
  }

  /** The caller's address if a valid bearer token came with the request; reads that need none use this. */
  public Optional<String> optionalCaller() {
    return api.optionalCaller(exchange);
  }

  /** Answers with {@code body} as {@code contentType}, plus {@code headers} (e.g. caching, a redirect's Location). */
  public void sendBytes(int status, byte[] body, String contentType, java.util.Map<String, String> headers) {
    headers.forEach(exchange::setHeader);
    HttpApi.send(exchange, status, body, contentType);
  }

  /** The dataset if the caller may read it; 404 otherwise (private datasets do not reveal that they exist). */
  public DatasetDefinition readableDataset(String id) {
    return api.readableDataset(exchange, id);
  }

  /** The JSON object body (415 unless application/json, 400 unless an object, 413 above 1 MiB). */
  public JsonNode readJson() throws IOException {
    return HttpApi.readJson(exchange);
  }

  public void sendJson(int status, JsonNode body) throws IOException {
    HttpApi.sendJson(exchange, status, body);
  }

  /** Fails with 405 unless the method is {@code expected}. */
  public void requireMethod(String expected) {
    HttpApi.requireMethod(method(), expected);
  }
}
