package io.ledgerlake.ingestion.dataset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A dataset as created through {@code POST /v1/datasets}.
 *
 * @param schema absent until given explicitly or inferred from the first upload
 * @param labelSchema opaque JSON text for the labeling module (may be empty)
 */
public record DatasetDefinition(
    String id,
    String name,
    String description,
    DataFormat format,
    Optional<DatasetSchema> schema,
    String labelSchema,
    Visibility visibility,
    String owner,
    SubmitPolicy submitPolicy,
    Instant createdAt) {

  public static final int VERSION = 1;

  public DatasetDefinition {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(format, "format");
    requireNonNull(schema, "schema");
    requireNonNull(labelSchema, "labelSchema");
    requireNonNull(visibility, "visibility");
    owner = Addresses.normalize(owner);
    requireNonNull(submitPolicy, "submitPolicy");
    requireNonNull(createdAt, "createdAt");
  }

  public DatasetDefinition withSchema(DatasetSchema newSchema) {
    return new DatasetDefinition(id, name, description, format, Optional.of(newSchema), labelSchema, visibility, owner,
        submitPolicy, createdAt);
  }

  /** @param newLabelSchema JSON text of the label schema, or empty for none */
  public DatasetDefinition withLabelSchema(String newLabelSchema) {
    return new DatasetDefinition(id, name, description, format, schema, newLabelSchema, visibility, owner,
        submitPolicy, createdAt);
  }

  public boolean readableBy(Optional<String> address) {
    return visibility == Visibility.PUBLIC
        || address.map(a -> submitPolicy.admits(owner, a)).orElse(false);
  }

  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("version", VERSION);
    json.put("id", id);
    json.put("name", name);
    json.put("description", description);
    json.put("format", format.id());
    schema.ifPresent(s -> json.set("schema", s.toJson()));
    if (!labelSchema.isEmpty()) {
      try {
        json.set("labelSchema", Json.MAPPER.readTree(labelSchema));
      } catch (IOException e) {
        throw new UncheckedIOException("labelSchema is not JSON", e);
      }
    }
    json.put("visibility", visibility.name().toLowerCase(Locale.ROOT));
    json.put("owner", owner);
    ObjectNode policy = json.putObject("submitters");
    policy.put("mode", submitPolicy.mode().name().toLowerCase(Locale.ROOT));
    submitPolicy.allowlist().forEach(policy.putArray("allowlist")::add);
    json.put("createdAt", createdAt.toString());
    return json;
  }

  public static DatasetDefinition fromJson(JsonNode json) {
    int version = json.path("version").asInt(-1);
    if (version != VERSION) {
      throw new IllegalArgumentException("Dataset definition version " + version + " is not supported (reads "
          + VERSION + ")");
    }
    JsonNode policy = json.path("submitters");
    List<String> allowlist = new ArrayList<>();
    policy.path("allowlist").forEach(a -> allowlist.add(a.asText()));
    JsonNode label = json.get("labelSchema");
    return new DatasetDefinition(
        json.path("id").asText(),
        json.path("name").asText(),
        json.path("description").asText(""),
        DataFormat.fromId(json.path("format").asText()),
        json.hasNonNull("schema") ? Optional.of(DatasetSchema.fromJson(json.get("schema"))) : Optional.empty(),
        label == null || label.isNull() ? "" : label.toString(),
        Visibility.valueOf(json.path("visibility").asText("public").toUpperCase(Locale.ROOT)),
        json.path("owner").asText(),
        new SubmitPolicy(SubmitPolicy.Mode.valueOf(policy.path("mode").asText("open").toUpperCase(Locale.ROOT)),
            allowlist),
        Instant.parse(json.path("createdAt").asText()));
  }
}
