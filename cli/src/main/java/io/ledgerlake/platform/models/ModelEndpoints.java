package io.ledgerlake.platform.models;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.server.ApiExtension;
import io.ledgerlake.ingestion.server.ApiRequest;
import io.ledgerlake.ingestion.server.BadRequestException;
import io.ledgerlake.rag.api.MeteredRequests;
import io.ledgerlake.training.serve.ModelCallException;
import io.ledgerlake.training.serve.ModelCallService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/models/predict} on the upload API ({@link ApiExtension}): {@code {"asset": "2", "inputs": ["text",
 * ...], "callId": "optional, for safe retries"}} with a bearer token. Answers 200 with one prediction (label,
 * probability) per input in input order, the model's CID and what it was trained on, the licence used and the call
 * id; 402 {@code LICENCE_REQUIRED} with the kinds that would allow it; 400 bad input, 404 not a published model, 409 a
 * call id reused for other inputs. Nothing is metered unless 200.
 */
public final class ModelEndpoints implements ApiExtension {
  static final String PATH = "/v1/models/predict";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelCallService service;

  public ModelEndpoints(ModelCallService service) {
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
    ModelCallService.Request call = new ModelCallService.Request(asset(body), inputs(body), callId(body));
    ModelCallService.Outcome outcome;
    try {
      outcome = service.call(caller, call);
    } catch (ModelCallException e) {
      MeteredRequests.refuse(request, e, call.asset());
      return true;
    }
    request.sendJson(200, toJson(outcome));
    return true;
  }

  static ObjectNode toJson(ModelCallService.Outcome o) {
    ObjectNode out = JSON.createObjectNode();
    out.put("callId", o.callId());
    out.put("asset", Long.toString(o.target().assetId()));
    out.put("modelCid", o.target().modelCid());
    out.put("modelId", o.target().modelId());
    out.put("datasetId", o.target().datasetId());
    out.put("trainedOn", o.target().versionTag());
    out.putObject("licence").put("kind", o.licence().kind()).put("asset", Long.toString(o.licence().assetId()));
    out.put("recorded", o.recorded());
    ArrayNode predictions = out.putArray("predictions");
    o.predictions().forEach(p -> predictions.addObject().put("label", p.label()).put("probability", p.probability()));
    return out;
  }

  private static String asset(JsonNode body) {
    JsonNode v = body.get("asset");
    if (v == null || v.isNull()) {
      throw new BadRequestException("Field 'asset' is required: the on-chain id of a published model, e.g. \"2\"");
    }
    if (v.isTextual() || v.canConvertToLong()) {
      return v.asText(); // 2 as well as "2"
    }
    throw new BadRequestException("Field 'asset' must be a string");
  }

  private static List<String> inputs(JsonNode body) {
    JsonNode v = body.get("inputs");
    if (v == null || !v.isArray()) {
      throw new BadRequestException("Field 'inputs' is required: an array of texts to classify, e.g. [\"...\"]");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        throw new BadRequestException("Field 'inputs' must hold strings only (input " + out.size() + " is not)");
      }
      out.add(x.textValue());
    }
    return out;
  }

  private static String callId(JsonNode body) {
    JsonNode v = body.get("callId");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new BadRequestException("Field 'callId' must be a string");
    }
    return v.textValue();
  }
}
