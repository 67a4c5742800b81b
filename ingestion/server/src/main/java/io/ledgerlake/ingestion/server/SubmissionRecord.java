package io.ledgerlake.ingestion.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import java.time.Instant;

/**
 * What the server remembers about a submission it accepted (version 1 JSON under {@code submissions/}). The event is
 * kept whole so the record can be re-appended if an operator ever needs to replay it.
 */
record SubmissionRecord(SubmissionEvent event, String logPosition) {
  static final int VERSION = 1;

  SubmissionRecord {
    requireNonNull(event, "event");
    requireNonNull(logPosition, "logPosition");
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("version", VERSION);
    json.put("logPosition", logPosition);
    json.put("event", java.util.Base64.getEncoder().encodeToString(
        io.ledgerlake.ingestion.event.SubmissionEventSerializer.serialize(event)));
    return json;
  }

  static SubmissionRecord fromJson(JsonNode json) {
    if (json.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException("Submission record version " + json.path("version").asText()
          + " is not supported (reads " + VERSION + ")");
    }
    return new SubmissionRecord(io.ledgerlake.ingestion.event.SubmissionEventSerializer.deserialize(
        java.util.Base64.getDecoder().decode(json.path("event").asText())), json.path("logPosition").asText());
  }

  Instant receivedAt() {
    return event.receivedAt();
  }
}
