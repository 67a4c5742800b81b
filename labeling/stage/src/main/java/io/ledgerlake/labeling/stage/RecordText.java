package io.ledgerlake.labeling.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;

/**
 * The text the labelers see for one record of {@code ingest.records}. Records are canonical JSON of any shape: a
 * top-level string field {@code text} (the common convention of text datasets) is the text; otherwise every string
 * value, depth first in the canonical (sorted-key) order, joined by newlines, so PII or harm in any field is seen.
 */
public final class RecordText {
  public static final String TEXT_FIELD = "text";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RecordText() {}

  public static String of(String recordJson) {
    JsonNode node;
    try {
      node = MAPPER.readTree(recordJson);
    } catch (JsonProcessingException e) {
      // ingest.records holds only canonical JSON; anything else is labeled as raw text rather than dropped.
      return recordJson;
    }
    if (node != null && node.isObject() && node.path(TEXT_FIELD).isTextual()) {
      return node.get(TEXT_FIELD).asText();
    }
    StringBuilder sb = new StringBuilder();
    collect(node, sb);
    return sb.toString();
  }

  private static void collect(JsonNode node, StringBuilder sb) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(node.asText());
    } else if (node.isContainerNode()) {
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        collect(it.next(), sb);
      }
    }
  }
}
