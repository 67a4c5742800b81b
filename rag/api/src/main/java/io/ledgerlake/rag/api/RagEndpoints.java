package io.ledgerlake.rag.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.server.ApiExtension;
import io.ledgerlake.ingestion.server.ApiRequest;
import io.ledgerlake.ingestion.server.BadRequestException;
import io.ledgerlake.rag.query.RagQueryException;
import io.ledgerlake.rag.query.RagQueryService;
import io.ledgerlake.rag.query.RagRetriever;
import java.io.IOException;

/**
 * {@code POST /v1/rag/query} on the upload API ({@link ApiExtension}): {@code {"asset": "3", "query": "...", "k": 5,
 * "queryId": "optional, for safe retries", "version": "optional dataset version tag"}} with a bearer token. Answers 200
 * with the passages (PII-redacted text, record CID, chunk, contributor, score), the index CID and dataset version, the
 * licence used and the query id; 402 {@code LICENCE_REQUIRED} naming the assets and kinds that would allow it; 400 bad
 * input, 404 unknown asset or no index, 409 a query id reused for another question. Nothing is recorded unless 200.
 */
public final class RagEndpoints implements ApiExtension {
  static final String PATH = "/v1/rag/query";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RagQueryService service;

  public RagEndpoints(RagQueryService service) {
    this.service = requireNonNull(service, "service");
  }

  @Override
  public boolean handle(ApiRequest request) throws IOException {
    if (!request.path().equals(PATH)) {
      return false;
    }
    request.requireMethod("POST");
    String caller = request.caller();
    JsonNode body = request.readJson();
    RagQueryService.Request query = new RagQueryService.Request(text(body, "asset", true), text(body, "query", true),
        k(body), text(body, "queryId", false), text(body, "version", false), flag(body, "answer"));
    RagQueryService.Outcome outcome;
    try {
      outcome = service.query(caller, query);
    } catch (RagQueryException e) {
      MeteredRequests.refuse(request, e, query.asset());
      return true;
    }
    request.sendJson(200, toJson(outcome));
    return true;
  }

  static ObjectNode toJson(RagQueryService.Outcome o) {
    ObjectNode out = JSON.createObjectNode();
    out.put("queryId", o.queryId());
    out.put("asset", Long.toString(o.target().assetId()));
    out.putObject("licence").put("kind", o.licence().kind()).put("asset", Long.toString(o.licence().assetId()));
    out.put("datasetId", o.target().datasetId());
    out.put("version", o.target().versionTag());
    out.put("indexCid", o.target().indexCid());
    out.put("indexAsset", Long.toString(o.target().indexAssetId()));
    out.put("recorded", o.recorded());
    ArrayNode passages = out.putArray("passages");
    for (RagRetriever.Passage p : o.answer().passages()) {
      passages.addObject().put("rank", p.rank()).put("recordCid", p.recordCid()).put("chunk", p.chunk())
          .put("contributor", p.contributor()).put("score", p.score()).put("text", p.text());
    }
    o.generated().ifPresent(g -> {
      ObjectNode answer = out.putObject("answer");
      answer.put("text", g.text());
      answer.put("model", g.model());
      ArrayNode citations = answer.putArray("citations");
      g.citations().forEach(c -> citations.addObject().put("number", c.number()).put("recordCid", c.recordCid())
          .put("chunk", c.chunk()));
    });
    return out;
  }

  private static boolean flag(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new BadRequestException("Field '" + field + "' must be true or false");
    }
    return v.booleanValue();
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new BadRequestException("Field '" + field + "' is required" + (field.equals("asset")
            ? ": the on-chain id of a published RAG index or dataset, e.g. \"3\"" : ": the question to search for"));
      }
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (field.equals("asset") && v.canConvertToLong()) {
      return v.asText(); // 3 as well as "3"
    }
    throw new BadRequestException("Field '" + field + "' must be a string");
  }

  private static int k(JsonNode body) {
    JsonNode v = body.get("k");
    if (v == null || v.isNull()) {
      return 5;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new BadRequestException("Field 'k' must be an integer (passages to return, default 5)");
    }
    return v.intValue();
  }
}
