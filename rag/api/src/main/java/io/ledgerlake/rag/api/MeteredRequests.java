package io.ledgerlake.rag.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.server.ApiRequest;
import io.ledgerlake.ingestion.server.BadRequestException;
import io.ledgerlake.ingestion.server.ConflictException;
import io.ledgerlake.ingestion.server.ResourceNotFoundException;
import io.ledgerlake.jobs.attribution.MeteredRequestException;
import io.ledgerlake.provenance.licence.LicenceGate;
import java.io.IOException;

/**
 * How every licence-gated, metered API (RAG queries here, model calls in the platform) answers a refused request:
 * 400, 404 and 409 as the server's errors, 402 as {@code {"code": "LICENCE_REQUIRED", "message", "asset",
 * "acceptedKinds"}}. One mapping, so that a client handles every metered service alike.
 */
public final class MeteredRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MeteredRequests() {}

  /** Answers {@code request} for the refusal {@code e} of a request on {@code asset} (as the caller gave it). */
  public static void refuse(ApiRequest request, MeteredRequestException e, String asset) throws IOException {
    switch (e.reason()) {
      case BAD_REQUEST -> throw new BadRequestException(e.getMessage());
      case NOT_FOUND -> throw new ResourceNotFoundException(e.getMessage());
      case ID_CONFLICT -> throw new ConflictException(e.getMessage());
      case LICENCE_REQUIRED -> {
        ObjectNode out = JSON.createObjectNode();
        out.put("code", "LICENCE_REQUIRED");
        out.put("message", e.getMessage());
        out.put("asset", asset);
        ArrayNode kinds = out.putArray("acceptedKinds");
        LicenceGate.KINDS.forEach(kinds::add);
        request.sendJson(402, out);
      }
      default -> throw e;
    }
  }
}
