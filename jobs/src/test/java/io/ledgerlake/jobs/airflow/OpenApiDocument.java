package io.ledgerlake.jobs.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * Airflow's OpenAPI document (the committed extract) as a validator: finds the operation of a method and path and
 * checks JSON bodies against its request and response schemas. OpenAPI 3.1 schemas are JSON Schema 2020-12, so a
 * schema is the document itself with a {@code $ref} to the component: local references resolve inside it.
 */
final class OpenApiDocument {
  static final String RESOURCE = "/airflow/v2-rest-api-generated.extract.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();

  record Operation(String method, String template, String id, JsonNode node) {}

  private final JsonNode root;
  private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  OpenApiDocument() throws IOException {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      Map<String, Object> yaml = new Yaml().load(in);
      root = JSON.valueToTree(yaml);
    }
  }

  String version() {
    return root.path("info").path("version").asText();
  }

  /** The operation for {@code method} and the request path (without query), if the document has it. */
  Optional<Operation> operation(String method, String path) {
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String regex = Pattern.quote(e.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
      JsonNode op = e.getValue().path(method.toLowerCase());
      if (!op.isMissingNode() && path.matches(regex)) {
        return Optional.of(new Operation(method, e.getKey(), op.path("operationId").asText(), op));
      }
    }
    return Optional.empty();
  }

  /** Violations of {@code body} against the operation's request body schema (empty: valid). */
  List<String> checkRequest(Operation op, JsonNode body) {
    JsonNode schema = op.node().path("requestBody").path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      return body == null ? List.of() : List.of(op.id() + " takes no request body");
    }
    if (body == null) {
      return List.of(op.id() + " needs a request body");
    }
    return validate(schema, body, op.id() + " request");
  }

  /** Violations of a response with {@code status} and {@code body}: the status must be declared, the body fit. */
  List<String> checkResponse(Operation op, int status, JsonNode body) {
    JsonNode response = op.node().path("responses").path(Integer.toString(status));
    if (response.isMissingNode()) {
      return List.of(op.id() + " does not declare status " + status);
    }
    JsonNode schema = response.path("content").path("application/json").path("schema");
    return schema.isMissingNode() ? List.of() : validate(schema, body, op.id() + " " + status + " response");
  }

  /** Violations of {@code body} against the component schema {@code name}. */
  List<String> checkSchema(String name, JsonNode body) {
    return validate(JSON.createObjectNode().put("$ref", "#/components/schemas/" + name), body, name);
  }

  private List<String> validate(JsonNode schema, JsonNode body, String what) {
    ObjectNode full = JSON.createObjectNode();
    full.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    full.set("components", root.path("components"));
    schema.fields().forEachRemaining(f -> full.set(f.getKey(), f.getValue()));
    JsonSchema s = factory.getSchema(full);
    return s.validate(body).stream().map(ValidationMessage::getMessage).map(m -> what + ": " + m)
        .collect(Collectors.toList());
  }
}
