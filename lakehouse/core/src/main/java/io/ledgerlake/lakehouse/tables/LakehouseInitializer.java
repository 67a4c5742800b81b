package io.ledgerlake.lakehouse.tables;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a catalog up to the table model: creates what is missing and adds columns that newer
 * definitions have. Never drops or retypes a column, so readers of the older schema keep
 * working and older snapshots stay readable.
 */
public final class LakehouseInitializer {
  private static final Logger LOG = LoggerFactory.getLogger(LakehouseInitializer.class);

  private final Catalog catalog;

  public LakehouseInitializer(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog");
  }

  /** What {@link #initialize} did, per table. */
  public record Report(List<String> created, List<String> evolved, List<String> unchanged) {
    public Report {
      created = List.copyOf(created);
      evolved = List.copyOf(evolved);
      unchanged = List.copyOf(unchanged);
    }

    public boolean changedAnything() {
      return !created.isEmpty() || !evolved.isEmpty();
    }
  }

  public Report initialize(List<TableDefinition> definitions) {
    List<String> created = new ArrayList<>();
    List<String> evolved = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    for (TableDefinition def : definitions) {
      ensureNamespace(def.identifier().namespace());
      if (!catalog.tableExists(def.identifier())) {
        try {
          catalog
              .buildTable(def.identifier(), def.schema())
              .withPartitionSpec(def.spec())
              .withProperties(def.properties())
              .create();
          LOG.info("Created table {}", def.qualifiedName());
          created.add(def.qualifiedName());
          continue;
        } catch (AlreadyExistsException e) {
          // Another process created it between our check and create: fall through to evolve.
        }
      }
      if (evolve(catalog.loadTable(def.identifier()), def)) {
        evolved.add(def.qualifiedName());
      } else {
        unchanged.add(def.qualifiedName());
      }
    }
    return new Report(created, evolved, unchanged);
  }

  /** Adds the definition's missing columns (as optional) to an existing table. */
  static boolean evolve(Table table, TableDefinition def) {
    Schema current = table.schema();
    List<String> missing = new ArrayList<>();
    for (Types.NestedField field : def.schema().columns()) {
      if (current.findField(field.name()) == null) {
        missing.add(field.name());
      }
    }
    if (missing.isEmpty()) {
      return false;
    }
    // unionByNameWith adds new columns as optional: existing rows read them as null.
    table.updateSchema().unionByNameWith(def.schema()).commit();
    table
        .updateProperties()
        .set(TableDefinition.SCHEMA_VERSION_PROPERTY, Integer.toString(def.schemaVersion()))
        .commit();
    LOG.info("Evolved table {}: added columns {}", def.qualifiedName(), missing);
    return true;
  }

  private void ensureNamespace(Namespace namespace) {
    if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace)) {
      try {
        namespaces.createNamespace(namespace);
        LOG.info("Created namespace {}", namespace);
      } catch (AlreadyExistsException e) {
        // created concurrently: fine
      }
    }
  }
}
