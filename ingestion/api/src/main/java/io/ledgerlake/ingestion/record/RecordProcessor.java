package io.ledgerlake.ingestion.record;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.schema.DatasetSchema;

/**
 * The per-record step of ingestion, engine-neutral so the Flink job is a thin wrapper: validate against the dataset
 * schema, canonicalize (RFC 8785), name by content. Thread-safe if the namer is (its one field, the size of the last
 * canonical form, is only a hint for the next buffer).
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
  /** Length of the last canonical form: records of one upload tend to be alike. Racy by design, a hint only. */
  private int lastLength = 128;

  public RecordProcessor(DatasetSchema schema, RecordNamer namer) {
    this.schema = requireNonNull(schema, "schema");
    this.namer = requireNonNull(namer, "namer");
  }

  public Outcome process(ParsedRecord record) {
    try {
      ObjectNode value = schema.validate(record);
      byte[] canonical = CanonicalJson.canonicalBytes(value, lastLength + lastLength / 8);
      lastLength = canonical.length;
      return new Outcome(new Accepted(record.position(), value, canonical, namer.name(canonical)), null);
    } catch (RecordRejectedException e) {
      return new Outcome(null, e.at(record.position()));
    } catch (RuntimeException | StackOverflowError e) {
      // A bug or an input class nobody foresaw: quarantine this record, not the stream. Failing here would fail the
      // streaming job, and its replay from the log would fail the same way, for every dataset.
      LOG.warn("Record at {} could not be processed; rejected as {}", record.position(), RejectionCode.PROCESSING_ERROR, e);
      return new Outcome(null, new Rejection(record.position(), RejectionCode.PROCESSING_ERROR,
          "This record could not be processed (" + e.getClass().getSimpleName()
              + "); the rest of the upload was processed. Please report it with the record's position"));
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecordProcessor.class);
}
