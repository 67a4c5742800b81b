package io.ledgerlake.ingestion.record;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.schema.DatasetSchema;

/**
 * The per-record step of ingestion, engine-neutral so the Flink job is a thin wrapper: validate against the dataset
 * schema, canonicalize (RFC 8785), name by content. Stateless and thread-safe if the namer is.
 */
public final class RecordProcessor {
  /** An accepted record: its normalized value, canonical bytes and content name (CID). */
  public record Accepted(RecordPosition position, ObjectNode value, byte[] canonicalJson, String name) {
    public Accepted {
      requireNonNull(position, "position");
      requireNonNull(value, "value");
      requireNonNull(canonicalJson, "canonicalJson");
      requireNonNull(name, "name");
    }
  }

  /** Either an accepted record or a rejection. */
  public record Outcome(Accepted accepted, Rejection rejection) {
    public boolean isAccepted() {
      return accepted != null;
    }
  }

  private final DatasetSchema schema;
  private final RecordNamer namer;

  public RecordProcessor(DatasetSchema schema, RecordNamer namer) {
    this.schema = requireNonNull(schema, "schema");
    this.namer = requireNonNull(namer, "namer");
  }

  public Outcome process(ParsedRecord record) {
    try {
      ObjectNode value = schema.validate(record);
      byte[] canonical = CanonicalJson.canonicalBytes(value);
      return new Outcome(new Accepted(record.position(), value, canonical, namer.name(canonical)), null);
    } catch (RecordRejectedException e) {
      return new Outcome(null, e.at(record.position()));
    }
  }
}
