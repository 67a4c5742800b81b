package io.ledgerlake.lakehouse.tables;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One table of the platform's model: its name, current schema, partitioning and purpose.
 *
 * <p>{@code schemaVersion} counts changes to this definition. Opening a catalog created with an
 * older version adds the new columns (see {@code LakehouseInitializer}); columns are only ever
 * added, never removed or retyped, so older readers keep working.
 *
 * @param partitioning builds the spec from the schema the table actually has, because Iceberg
 *     assigns field ids at creation
 */
public record TableDefinition(
    TableIdentifier identifier,
    int schemaVersion,
    Schema schema,
    Function<Schema, PartitionSpec> partitioning,
    String description) {

  /** Table property that records which {@link #schemaVersion} a table was last evolved to. */
  public static final String SCHEMA_VERSION_PROPERTY = "ledgerlake.schema-version";

  public TableDefinition {
    requireNonNull(identifier, "identifier");
    requireNonNull(schema, "schema");
    requireNonNull(partitioning, "partitioning");
    requireNonNull(description, "description");
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("schemaVersion must be >= 1 for " + identifier);
    }
  }

  public static TableDefinition of(
      String namespace,
      String name,
      int schemaVersion,
      Schema schema,
      Function<Schema, PartitionSpec> partitioning,
      String description) {
    return new TableDefinition(
        TableIdentifier.of(Namespace.of(namespace), name),
        schemaVersion,
        schema,
        partitioning,
        description);
  }

  /** {@code namespace.name}, as users write it in SQL. */
  public String qualifiedName() {
    return identifier.toString();
  }

  public PartitionSpec spec() {
    return partitioning.apply(schema);
  }

  /** Table properties set at creation: format version and our schema version. */
  public Map<String, String> properties() {
    return Map.of(
        "format-version", "2",
        "write.parquet.compression-codec", "zstd",
        SCHEMA_VERSION_PROPERTY, Integer.toString(schemaVersion));
  }
}
