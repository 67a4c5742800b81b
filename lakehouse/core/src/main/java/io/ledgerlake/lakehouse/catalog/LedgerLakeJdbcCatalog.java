package io.ledgerlake.lakehouse.catalog;

import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Iceberg's JDBC catalog, with its driver registered from this class loader first ({@link JdbcDrivers}): the catalog
 * class that engines load by name (the Flink sink's catalog loader on every TaskManager), so that several jobs on one
 * Flink cluster each reach their own copy of the driver.
 */
public class LedgerLakeJdbcCatalog extends JdbcCatalog {
  @Override
  public void initialize(String name, Map<String, String> properties) {
    JdbcDrivers.register(properties.get(CatalogProperties.URI));
    super.initialize(name, properties);
  }
}
