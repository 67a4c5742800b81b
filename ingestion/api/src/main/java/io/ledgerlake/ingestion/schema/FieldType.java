package io.ledgerlake.ingestion.schema;

import java.util.Locale;

/** Column types of a dataset schema; each maps to one Iceberg type (see docs/decisions/ingestion-dataset-schema.md). */
public enum FieldType {
  /** Iceberg string. */
  STRING,
  /** Iceberg long; integers beyond 2^53 are rejected by canonicalization, not here. */
  LONG,
  /** Iceberg double. */
  DOUBLE,
  /** Iceberg boolean. */
  BOOLEAN,
  /** Iceberg timestamptz; an ISO-8601 string with offset, normalized to UTC. */
  TIMESTAMP,
  /** Any JSON value (objects, arrays); stored as canonical JSON text in an Iceberg string. */
  JSON;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FieldType fromId(String id) {
    for (FieldType type : values()) {
      if (type.id().equalsIgnoreCase(id)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "Unknown field type '" + id + "'; use one of string, long, double, boolean, timestamp, json");
  }
}
