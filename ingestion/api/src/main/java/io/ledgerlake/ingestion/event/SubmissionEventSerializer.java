package io.ledgerlake.ingestion.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.EventFormatException;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.record.CanonicalJson;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;

/**
 * Versioned binary form of a {@link SubmissionEvent}: one version byte, then the version's body. Version 1's body is
 * the RFC 8785 canonical JSON of the event, so the bytes are deterministic and readable with kafka-console-consumer.
 * New versions get a new constant and a new case; old versions stay readable forever (the log is replayed).
 */
public final class SubmissionEventSerializer {
  public static final byte VERSION_1 = 1;
  public static final byte CURRENT_VERSION = VERSION_1;

  private SubmissionEventSerializer() {}

  public static byte[] serialize(SubmissionEvent event) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("submissionId", event.submissionId());
    json.put("datasetId", event.datasetId());
    json.put("contributor", event.contributor());
    json.put("cid", event.cid());
    json.put("byteCount", event.byteCount());
    json.put("format", event.format().id());
    json.put("contentType", event.contentType());
    json.put("fileName", event.fileName());
    json.put("receivedAt", event.receivedAt().toString());
    json.set("schema", event.schema().toJson());
    byte[] body = CanonicalJson.canonicalBytes(json);
    byte[] out = new byte[body.length + 1];
    out[0] = CURRENT_VERSION;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  public static SubmissionEvent deserialize(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new EventFormatException("Submission event is empty; the log holds a record not written by LedgerLake", null);
    }
    return switch (bytes[0]) {
      case VERSION_1 -> readVersion1(Arrays.copyOfRange(bytes, 1, bytes.length));
      default -> throw new EventFormatException("Submission event has unknown version " + bytes[0]
          + " (this release reads up to " + CURRENT_VERSION + "); upgrade the reader", null);
    };
  }

  private static SubmissionEvent readVersion1(byte[] body) {
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      return new SubmissionEvent(
          text(json, "submissionId"),
          text(json, "datasetId"),
          text(json, "contributor"),
          text(json, "cid"),
          json.path("byteCount").asLong(-1),
          DataFormat.fromId(text(json, "format")),
          text(json, "contentType"),
          text(json, "fileName"),
          Instant.parse(text(json, "receivedAt")),
          DatasetSchema.fromJson(json.get("schema")));
    } catch (IOException | RuntimeException e) {
      if (e instanceof EventFormatException efe) {
        throw efe;
      }
      throw new EventFormatException("Submission event version 1 is corrupt: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || !node.isTextual()) {
      throw new EventFormatException("Submission event version 1 lacks the text field '" + field + "'", null);
    }
    return node.textValue();
  }
}
