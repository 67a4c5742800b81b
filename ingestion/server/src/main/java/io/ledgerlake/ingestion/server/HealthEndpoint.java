package io.ledgerlake.ingestion.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;

/**
 * {@code GET /health}: 200 with every component's state while all run, 503 otherwise. Unauthenticated (it tells
 * only which parts of the platform run), so that load balancers and monitors can poll it.
 */
public final class HealthEndpoint implements ApiExtension {
  public static final String PATH = "/health";

  private final IngestionReadiness readiness;

  public HealthEndpoint(IngestionReadiness readiness) {
    this.readiness = requireNonNull(readiness, "readiness");
  }

  @Override
  public boolean handle(ApiRequest request) throws IOException {
    if (!request.path().equals(PATH)) {
      return false;
    }
    request.requireMethod("GET");
    boolean healthy = readiness.healthy();
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("status", healthy ? "ok" : "unavailable");
    readiness.uploadsBlocked().ifPresent(reason -> body.put("uploads", reason));
    ObjectNode components = body.putObject("components");
    readiness.components().forEach(components::put);
    request.sendJson(healthy ? 200 : 503, body);
    return true;
  }
}
