package io.ledgerlake.ingestion.schema;

import static java.util.Objects.requireNonNull;

/** One named, typed column; {@code required} means present and not null in every record. */
public record SchemaField(String name, FieldType type, boolean required) {
  public SchemaField {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("Field names must not be blank");
    }
  }
}
