package io.ledgerlake.labeling.annotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The persisted, versioned JSON form of a {@link LabelSchema}, stored with the dataset definition ({@code labelSchema}
 * of {@code POST /v1/datasets}, {@code PUT /v1/datasets/{id}/label-schema}, {@code ledgerlake dataset create
 * --label-schema FILE}):
 *
 * <pre>
 * {"version": 1, "kind": "single_label", "classes": ["positive", "negative", "neutral"]}
 * {"version": 1, "kind": "multi_label",  "classes": ["toxic", "spam", "off_topic"], "minLabels": 0, "maxLabels": 3}
 * {"version": 1, "kind": "free_text",    "maxLength": 2000}
 * </pre>
 *
 * Unknown versions, kinds and fields are rejected with a message naming them, so a typo never silently falls back to
 * a default. {@link #write} emits every field, so {@code write(read(x))} is a fixed point.
 */
public final class LabelSchemaFormat {
  public static final int VERSION_1 = 1;
  public static final int CURRENT_VERSION = VERSION_1;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("version", "kind", "classes", "minLabels", "maxLabels",
      "maxLength");

  private LabelSchemaFormat() {}

  public static ObjectNode toJson(LabelSchema schema) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("version", CURRENT_VERSION);
    // Java 17: no pattern matching for switch; the interface is sealed, so these three branches are exhaustive.
    if (schema instanceof LabelSchema.SingleLabel s) {
      json.put("kind", "single_label");
      s.classes().forEach(json.putArray("classes")::add);
    } else if (schema instanceof LabelSchema.MultiLabel m) {
      json.put("kind", "multi_label");
      m.classes().forEach(json.putArray("classes")::add);
      json.put("minLabels", m.minLabels());
      json.put("maxLabels", m.maxLabels());
    } else if (schema instanceof LabelSchema.FreeText f) {
      json.put("kind", "free_text");
      json.put("maxLength", f.maxLength());
    }
    return json;
  }

  public static String write(LabelSchema schema) {
    return toJson(schema).toString();
  }

  public static LabelSchema read(String json) {
    try {
      return fromJson(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new InvalidLabelingInputException("label schema is not valid JSON: " + e.getOriginalMessage()
          + "; see docs/labeling.md, \"Label schema\"");
    }
  }

  public static LabelSchema fromJson(JsonNode json) {
    InvalidLabelingInputException.check(json != null && json.isObject(),
        "label schema must be a JSON object like {\"version\": 1, \"kind\": \"single_label\", \"classes\": [...]},"
            + " got %s", json);
    List<String> unknown = new ArrayList<>();
    json.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        unknown.add(f);
      }
    });
    InvalidLabelingInputException.check(unknown.isEmpty(),
        "label schema has unknown field(s) %s; allowed fields are %s", unknown, FIELDS);
    JsonNode version = json.get("version");
    InvalidLabelingInputException.check(version != null && version.isInt(),
        "label schema field 'version' is required and must be an integer (current: %s)", CURRENT_VERSION);
    InvalidLabelingInputException.check(version.intValue() == VERSION_1,
        "label schema version %s is not supported; this build reads version %s", version.intValue(), VERSION_1);
    String kind = json.path("kind").asText("");
    return switch (kind) {
      case "single_label" -> {
        forbid(json, kind, "minLabels", "maxLabels", "maxLength");
        yield new LabelSchema.SingleLabel(classes(json));
      }
      case "multi_label" -> {
        forbid(json, kind, "maxLength");
        List<String> classes = classes(json);
        yield new LabelSchema.MultiLabel(classes, intField(json, "minLabels", 0),
            intField(json, "maxLabels", classes.size()));
      }
      case "free_text" -> {
        forbid(json, kind, "classes", "minLabels", "maxLabels");
        InvalidLabelingInputException.check(json.has("maxLength"),
            "label schema of kind free_text needs 'maxLength' (the longest answer in characters)");
        yield new LabelSchema.FreeText(intField(json, "maxLength", 0));
      }
      default -> throw new InvalidLabelingInputException("label schema field 'kind' must be single_label,"
          + " multi_label or free_text, got '" + kind + "'");
    };
  }

  private static List<String> classes(JsonNode json) {
    JsonNode classes = json.get("classes");
    InvalidLabelingInputException.check(classes != null && classes.isArray(),
        "label schema field 'classes' is required and must be an array of strings");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < classes.size(); i++) {
      JsonNode c = classes.get(i);
      InvalidLabelingInputException.check(c.isTextual(), "label schema classes[%s] must be a string, got %s", i, c);
      out.add(c.textValue());
    }
    return out;
  }

  private static int intField(JsonNode json, String field, int dflt) {
    JsonNode n = json.get(field);
    if (n == null) {
      return dflt;
    }
    InvalidLabelingInputException.check(n.isInt(), "label schema field '%s' must be an integer, got %s", field, n);
    return n.intValue();
  }

  private static void forbid(JsonNode json, String kind, String... fields) {
    for (String f : fields) {
      InvalidLabelingInputException.check(!json.has(f), "label schema field '%s' does not apply to kind %s; remove it",
          f, kind);
    }
  }
}
