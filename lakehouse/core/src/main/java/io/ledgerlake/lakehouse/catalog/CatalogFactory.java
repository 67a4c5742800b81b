package io.ledgerlake.lakehouse.catalog;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Builds the Iceberg catalog selected by {@link LakehouseOptions}.
 *
 * <p>The same property map drives the Java catalog here and Spark's {@code SparkCatalog} (see
 * {@link #catalogProperties(LakehouseOptions)}), so both engines always see the same tables.
 */
public final class CatalogFactory {
  private CatalogFactory() {}

  /**
   * Iceberg catalog properties for the configured catalog: {@code type}, {@code uri}, {@code
   * warehouse}, JDBC settings and any pass-through properties.
   */
  public static Map<String, String> catalogProperties(LakehouseOptions options) {
    Map<String, String> props = new LinkedHashMap<>();
    switch (options.catalogType()) {
      case SQLITE -> {
        props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC);
        props.put(CatalogProperties.URI, options.catalogUri());
        // V1 adds view support; the SQLite schema is created by Iceberg itself on first use.
        props.put("jdbc.schema-version", "V1");
        // sqlite-jdbc reads these as connection pragmas. WAL lets readers (Spark) and a writer
        // work at once; the busy timeout turns a lock held by another process into a wait.
        props.put("jdbc.journal_mode", "WAL");
        props.put("jdbc.busy_timeout", Integer.toString(options.sqliteBusyTimeoutMs()));
      }
      case JDBC -> {
        props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC);
        props.put(CatalogProperties.URI, options.catalogUri());
        props.put("jdbc.schema-version", "V1");
        if (!options.jdbcUser().isEmpty()) {
          props.put("jdbc.user", options.jdbcUser());
        }
        if (!options.jdbcPassword().isEmpty()) {
          props.put("jdbc.password", options.jdbcPassword());
        }
      }
      case REST -> {
        props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_REST);
        props.put(CatalogProperties.URI, options.catalogUri());
      }
      case HADOOP -> props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP);
    }
    props.put(CatalogProperties.WAREHOUSE_LOCATION, options.warehouse());
    props.putAll(options.extraCatalogProperties());
    return props;
  }

  /**
   * The Iceberg catalog class for the configured type, for engines that load catalogs by class
   * name (the Flink sink's {@code CatalogLoader.custom}).
   */
  public static String catalogImpl(LakehouseOptions options) {
    return switch (options.catalogType()) {
      case SQLITE, JDBC -> LedgerLakeJdbcCatalog.class.getName();
      case REST -> CatalogUtil.ICEBERG_CATALOG_REST;
      case HADOOP -> CatalogUtil.ICEBERG_CATALOG_HADOOP;
    };
  }

  /**
   * Creates the data directory if needed and opens the catalog.
   *
   * @throws LakehouseException naming the file or directory when the data directory is not
   *     writable or the catalog database is locked or corrupt
   */
  public static Catalog open(LakehouseOptions options) {
    prepareDataDir(options.dataDir());
    try {
      JdbcDrivers.register(options.catalogUri());
      return CatalogUtil.buildIcebergCatalog(
          options.catalogName(), catalogProperties(options), new Configuration());
    } catch (RuntimeException e) {
      throw translate(e, options);
    }
  }

  /** Checks the data directory exists and is writable, creating it if needed. */
  static void prepareDataDir(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      // Probe with a real write: isWritable() is true for root even on read-only mounts.
      Path probe = Files.createTempFile(dataDir, ".write-probe", ".tmp");
      Files.delete(probe);
    } catch (FileSystemException e) {
      throw new LakehouseException(
          ErrorCategory.USER_ERROR,
          e,
          "data directory %s is not usable (%s); choose a writable directory with --data-dir or %s",
          dataDir,
          describe(e),
          "LEDGERLAKE_DATA_DIR");
    } catch (IOException e) {
      throw new LakehouseException(
          ErrorCategory.EXTERNAL, e, "cannot write to data directory %s: %s", dataDir, e.getMessage());
    }
  }

  private static String describe(FileSystemException e) {
    String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    if (e instanceof java.nio.file.FileAlreadyExistsException
        || e instanceof java.nio.file.NotDirectoryException) {
      return "a file is in the way: " + e.getFile();
    }
    return reason + (e.getFile() != null ? ": " + e.getFile() : "");
  }

  /**
   * Turns catalog failures caused by the catalog database into one clear message naming it. Other
   * failures pass through unchanged.
   */
  public static RuntimeException translate(RuntimeException e, LakehouseOptions options) {
    if (e instanceof LakehouseException) {
      return e;
    }
    String where =
        options.catalogType() == LakehouseOptions.CatalogType.SQLITE
            ? "catalog file " + options.sqliteFile()
            : "catalog " + options.catalogUri();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof SQLException || msg.contains("sqlite")) {
        if (msg.contains("sqlite_busy") || msg.contains("database is locked")) {
          return new LakehouseException(
              ErrorCategory.EXTERNAL,
              e,
              "%s is locked by another process; stop the other ledgerlake process or wait and retry",
              where);
        }
        if (msg.contains("sqlite_notadb") || msg.contains("not a database")
            || msg.contains("sqlite_corrupt") || msg.contains("malformed")) {
          return new LakehouseException(
              ErrorCategory.USER_ERROR,
              e,
              "%s is corrupt or not a catalog database; restore it from a backup or move it away to start empty",
              where);
        }
        if (msg.contains("sqlite_readonly") || msg.contains("sqlite_cantopen")
            || msg.contains("readonly")) {
          return new LakehouseException(
              ErrorCategory.USER_ERROR,
              e,
              "%s cannot be opened for writing; check the permissions of the data directory",
              where);
        }
        if (t instanceof SQLException) {
          return new LakehouseException(
              ErrorCategory.EXTERNAL, e, "%s failed: %s", where, t.getMessage());
        }
      }
    }
    return e;
  }
}
