package io.ledgerlake.lakehouse;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.catalog.CatalogFactory;
import io.ledgerlake.lakehouse.tables.LakehouseInitializer;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.tables.TableStatus;
import io.ledgerlake.lakehouse.versions.DatasetVersions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * The entry point to LedgerLake's lakehouse: an open Iceberg catalog plus the platform's table
 * model. Engine-neutral (no Flink, no Spark): engines get the same catalog through {@link
 * CatalogFactory#catalogProperties(LakehouseOptions)}.
 */
public final class Lakehouse implements AutoCloseable {
  private final LakehouseOptions options;
  private final Catalog catalog;

  private Lakehouse(LakehouseOptions options, Catalog catalog) {
    this.options = options;
    this.catalog = catalog;
  }

  /** Opens the configured catalog (creating the data directory when needed). */
  public static Lakehouse open(LakehouseOptions options) {
    requireNonNull(options, "options");
    return new Lakehouse(options, CatalogFactory.open(options));
  }

  public LakehouseOptions options() {
    return options;
  }

  public Catalog catalog() {
    return catalog;
  }

  /** Creates missing namespaces and tables and evolves older ones; idempotent. */
  public LakehouseInitializer.Report init() {
    return translated(() -> new LakehouseInitializer(catalog).initialize(TableModel.ALL));
  }

  /** Loads a table of the model. */
  public Table table(TableDefinition definition) {
    return table(definition.identifier());
  }

  /** Loads a table by identifier, with a clear error if it does not exist. */
  public Table table(TableIdentifier identifier) {
    return translated(
        () -> {
          try {
            return catalog.loadTable(identifier);
          } catch (NoSuchTableException e) {
            throw new LakehouseException(
                ErrorCategory.USER_ERROR,
                "table %s does not exist in catalog %s; run 'ledgerlake init' first",
                identifier,
                options.catalogName());
          }
        });
  }

  /** Name, row count, current snapshot and last commit time of every table of the model. */
  public List<TableStatus> status() {
    return translated(
        () -> {
          List<TableStatus> out = new ArrayList<>();
          for (TableDefinition def : TableModel.ALL) {
            if (catalog.tableExists(def.identifier())) {
              out.add(TableStatus.of(def.qualifiedName(), catalog.loadTable(def.identifier())));
            } else {
              out.add(TableStatus.missing(def.qualifiedName()));
            }
          }
          return out;
        });
  }

  /** Dataset versions (Iceberg tags) of a table. */
  public DatasetVersions versions(TableDefinition definition) {
    return new DatasetVersions(table(definition));
  }

  private <T> T translated(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw CatalogFactory.translate(e, options);
    }
  }

  @Override
  public void close() {
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new LakehouseException(ErrorCategory.INTERNAL, e, "closing catalog failed: %s", e);
      }
    }
  }
}
