package io.ledgerlake.lakehouse.tables;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A small builder for table schemas that numbers field ids itself.
 *
 * <p>Ids only need to be unique within the schema given to {@code createTable}; Iceberg assigns
 * the table's own ids at creation and matches evolved columns by name.
 */
final class Columns {
  private final List<Types.NestedField> fields = new ArrayList<>();
  private int nextId = 1;

  static Columns builder() {
    return new Columns();
  }

  Columns required(String name, Type type, String doc) {
    fields.add(Types.NestedField.required(nextId++, name, type, doc));
    return this;
  }

  Columns optional(String name, Type type, String doc) {
    fields.add(Types.NestedField.optional(nextId++, name, type, doc));
    return this;
  }

  /** A list of strings, e.g. parent CIDs. */
  Columns optionalStringList(String name, String doc) {
    int elementId = nextId + 1000; // keep element ids clear of top-level ids
    fields.add(
        Types.NestedField.optional(
            nextId++, name, Types.ListType.ofRequired(elementId, Types.StringType.get()), doc));
    return this;
  }

  /** A required list of floats, e.g. an embedding vector. */
  Columns requiredFloatList(String name, String doc) {
    int elementId = nextId + 1000; // keep element ids clear of top-level ids
    fields.add(
        Types.NestedField.required(
            nextId++, name, Types.ListType.ofRequired(elementId, Types.FloatType.get()), doc));
    return this;
  }

  /**
   * The columns every row derived from a chain log carries, so the indexer can roll back a reorg
   * and users can filter by finality.
   */
  Columns chainPosition() {
    return required("chain_id", Types.LongType.get(), "EVM chain id")
        .required("block_number", Types.LongType.get(), "block that contains the log")
        .required("block_hash", Types.StringType.get(), "0x-prefixed block hash")
        .required("tx_hash", Types.StringType.get(), "0x-prefixed transaction hash")
        .required("log_index", Types.IntegerType.get(), "log index within the block")
        .required("finality", Types.StringType.get(), "pending | confirmed | finalized");
  }

  Schema build() {
    return new Schema(fields);
  }
}
