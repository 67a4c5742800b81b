package io.ledgerlake.ingestion.record;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record as parsed from an upload, before schema validation.
 *
 * @param position where it came from
 * @param value the record's fields; owned by the receiver (parsers hand over a fresh node and never touch it again)
 * @param textual true when the format carries no types (CSV): every value is a string and the schema may coerce it
 */
public record ParsedRecord(RecordPosition position, ObjectNode value, boolean textual) {
  public ParsedRecord {
    requireNonNull(position, "position");
    requireNonNull(value, "value");
  }
}
