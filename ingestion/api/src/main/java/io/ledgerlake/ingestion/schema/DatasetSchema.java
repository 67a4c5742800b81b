package io.ledgerlake.ingestion.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.InvalidSchemaException;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.BoundedNumbers;
import io.ledgerlake.ingestion.record.RecordRejectedException;
import io.ledgerlake.ingestion.record.RejectionCode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dataset's record schema: an Iceberg-like flat list of typed columns (not JSON Schema; see
 * docs/decisions/ingestion-dataset-schema.md). JSON form, versioned:
 * {@code {"version":1,"fields":[{"name":"id","type":"long","required":true}],"additionalFields":false}}.
 */
public record DatasetSchema(List<SchemaField> fields, boolean additionalFields) {
  public static final int VERSION = 1;

  public DatasetSchema {
    fields = List.copyOf(requireNonNull(fields, "fields"));
    Set<String> names = new HashSet<>();
    for (SchemaField field : fields) {
      if (!names.add(field.name())) {
        throw new InvalidSchemaException("Schema names field '" + field.name() + "' twice; field names must be unique");
      }
    }
    if (fields.isEmpty() && !additionalFields) {
      throw new InvalidSchemaException("Schema has no fields and forbids additional fields: no record could match");
    }
  }

  public Map<String, SchemaField> byName() {
    Map<String, SchemaField> map = new LinkedHashMap<>();
    fields.forEach(f -> map.put(f.name(), f));
    return map;
  }

  /**
   * Checks one record and returns its normalized value: textual (CSV) values coerced to the column types, timestamps
   * in UTC, null optional fields dropped (so that identical rows give identical canonical bytes).
   *
   * @throws RecordRejectedException with {@link RejectionCode#SCHEMA_MISMATCH} naming the field and the problem
   */
  public ObjectNode validate(ParsedRecord record) {
    ObjectNode in = record.value();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (SchemaField field : fields) {
      JsonNode value = in.get(field.name());
      if (value != null && record.textual() && field.type() != FieldType.STRING && value.isTextual()
          && value.textValue().isEmpty()) {
        value = null; // an empty CSV cell is a missing value
      }
      if (value == null || value.isNull()) {
        if (field.required()) {
          throw mismatch("required field '" + field.name() + "' is " + (value == null ? "missing" : "null"));
        }
        continue;
      }
      out.set(field.name(), convert(field, value, record.textual()));
    }
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!declares(name)) {
        if (!additionalFields) {
          throw mismatch("field '" + name + "' is not in the dataset schema " + byName().keySet()
              + "; remove it or create the dataset with additionalFields=true");
        }
        JsonNode value = in.get(name);
        if (!value.isNull()) {
          out.set(name, value);
        }
      }
    }
    return out;
  }

  /** Linear scan: schemas are short, and this runs per field of every record (no per-call map). */
  private boolean declares(String name) {
    for (SchemaField field : fields) {
      if (field.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode convert(SchemaField field, JsonNode value, boolean textual) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    String name = field.name();
    switch (field.type()) {
      case STRING -> {
        if (value.isTextual()) {
          return value;
        }
        throw mismatch(name, "string", value);
      }
      case LONG -> {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
          return value.isLong() ? value : nodes.numberNode(value.longValue());
        }
        BigDecimal number = numberOf(value, textual);
        if (number != null) {
          Long exact = BoundedNumbers.exactLongOrNull(number);
          if (exact != null) {
            return nodes.numberNode(exact.longValue());
          }
          throw mismatch("field '" + name + "': expected long, got " + BoundedNumbers.describe(number)
              + (BoundedNumbers.isIntegral(number) ? " (outside the long range; use a double or string field)"
                  : " (not an integer)"));
        }
        throw mismatch(name, "long", value);
      }
      case DOUBLE -> {
        if (value.isNumber()) {
          return value; // canonicalization checks that it fits a double
        }
        BigDecimal number = numberOf(value, textual);
        if (number != null) {
          return nodes.numberNode(number);
        }
        throw mismatch(name, "double", value);
      }
      case BOOLEAN -> {
        if (value.isBoolean()) {
          return value;
        }
        if (textual && value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
          return nodes.booleanNode(Boolean.parseBoolean(value.textValue()));
        }
        throw mismatch(name, "boolean", value);
      }
      case TIMESTAMP -> {
        if (value.isTextual()) {
          try {
            return nodes.textNode(OffsetDateTime.parse(value.textValue()).toInstant().toString());
          } catch (DateTimeParseException e) {
            throw mismatch("field '" + name + "': '" + value.textValue()
                + "' is not an ISO-8601 timestamp with offset such as 2026-01-31T12:00:00Z");
          }
        }
        throw mismatch(name, "timestamp", value);
      }
      case JSON -> {
        return value;
      }
      default -> throw new IllegalStateException("unhandled type " + field.type());
    }
  }

  private static BigDecimal numberOf(JsonNode value, boolean textual) {
    if (value.isNumber()) {
      return BoundedNumbers.checked(value.decimalValue());
    }
    if (textual && value.isTextual()) {
      return BoundedNumbers.parseOrNull(value.textValue());
    }
    return null;
  }

  private static RecordRejectedException mismatch(String field, String expected, JsonNode actual) {
    // Numbers through BoundedNumbers: JsonNode.toString() of a decimal may expand its exponent.
    String shown = actual.isNumber() ? BoundedNumbers.describe(actual.decimalValue()) : actual.toString();
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return mismatch("field '" + field + "': expected " + expected + ", got "
        + actual.getNodeType().name().toLowerCase() + " " + shown);
  }

  private static RecordRejectedException mismatch(String message) {
    return new RecordRejectedException(RejectionCode.SCHEMA_MISMATCH, "Schema mismatch: " + message);
  }

  public ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("version", VERSION);
    ArrayNode array = root.putArray("fields");
    for (SchemaField field : fields) {
      array.addObject().put("name", field.name()).put("type", field.type().id()).put("required", field.required());
    }
    root.put("additionalFields", additionalFields);
    return root;
  }

  /** @throws InvalidSchemaException naming what is wrong */
  public static DatasetSchema fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new InvalidSchemaException("Schema must be a JSON object with a 'fields' array");
    }
    int version = json.path("version").asInt(VERSION);
    if (version != VERSION) {
      throw new InvalidSchemaException("Schema version " + version + " is not supported; this release reads version "
          + VERSION);
    }
    JsonNode fieldsNode = json.get("fields");
    if (fieldsNode == null || !fieldsNode.isArray()) {
      throw new InvalidSchemaException("Schema must have a 'fields' array of {name, type, required}");
    }
    java.util.ArrayList<SchemaField> fields = new java.util.ArrayList<>();
    for (JsonNode f : fieldsNode) {
      String name = f.path("name").asText("");
      try {
        fields.add(new SchemaField(name, FieldType.fromId(f.path("type").asText("")),
            f.path("required").asBoolean(false)));
      } catch (IllegalArgumentException e) {
        throw new InvalidSchemaException("Schema field '" + name + "': " + e.getMessage());
      }
    }
    return new DatasetSchema(fields, json.path("additionalFields").asBoolean(false));
  }
}
