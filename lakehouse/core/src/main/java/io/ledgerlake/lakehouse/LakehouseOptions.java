package io.ledgerlake.lakehouse;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.common.config.Settings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key of the lakehouse module, with its default, in one place.
 *
 * <p>Precedence (see {@link Settings}): CLI flag &gt; environment &gt; {@code ledgerlake.properties}
 * &gt; the defaults below. The resolved options are immutable.
 */
public final class LakehouseOptions {
  /** Root of all local state: catalog, warehouse, blocks, broker and chain data. */
  public static final String DATA_DIR = "ledgerlake.data-dir";

  public static final String DATA_DIR_DEFAULT = "ledgerlake-data";

  /** Catalog kind: {@code sqlite} (embedded), {@code jdbc} (e.g. PostgreSQL), {@code rest}, {@code hadoop}. */
  public static final String CATALOG_TYPE = "ledgerlake.lakehouse.catalog.type";

  public static final String CATALOG_TYPE_DEFAULT = "sqlite";

  /** Name of the Iceberg catalog; also the Spark catalog name used by {@code ledgerlake sql}. */
  public static final String CATALOG_NAME = "ledgerlake.lakehouse.catalog.name";

  public static final String CATALOG_NAME_DEFAULT = "ledgerlake";

  /** Catalog URI: a JDBC URL for {@code jdbc}, an HTTP URL for {@code rest}; derived for {@code sqlite}. */
  public static final String CATALOG_URI = "ledgerlake.lakehouse.catalog.uri";

  /** Warehouse location; default {@code file://<data-dir>/warehouse}. */
  public static final String WAREHOUSE = "ledgerlake.lakehouse.warehouse";

  public static final String JDBC_USER = "ledgerlake.lakehouse.catalog.jdbc.user";
  public static final String JDBC_PASSWORD = "ledgerlake.lakehouse.catalog.jdbc.password";

  /**
   * How long to wait for a SQLite catalog locked by another process before failing, in ms. Short
   * enough that a stuck process is reported, long enough for normal concurrent commits.
   */
  public static final String SQLITE_BUSY_TIMEOUT_MS = "ledgerlake.lakehouse.catalog.sqlite.busy-timeout-ms";

  public static final int SQLITE_BUSY_TIMEOUT_MS_DEFAULT = 10_000;

  /**
   * Deepest ancestor/descendant pair stored in lineage.closure; walks that need more hops are reported truncated
   * (see docs/decisions/lakehouse-lineage-closure.md).
   */
  public static final String LINEAGE_CLOSURE_MAX_DEPTH = "ledgerlake.lakehouse.lineage.closure-max-depth";

  public static final int LINEAGE_CLOSURE_MAX_DEPTH_DEFAULT = 32;

  /** Prefix for raw Iceberg catalog properties passed through unchanged (e.g. {@code ...property.s3.endpoint}). */
  public static final String CATALOG_PROPERTY_PREFIX = "ledgerlake.lakehouse.catalog.property.";

  /** The catalog kinds this module can build. */
  public enum CatalogType {
    SQLITE,
    JDBC,
    REST,
    HADOOP;

    static CatalogType parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new LakehouseException(
            ErrorCategory.USER_ERROR,
            "unknown catalog type '%s' (%s); use one of sqlite, jdbc, rest, hadoop",
            value,
            CATALOG_TYPE);
      }
    }
  }

  private final Path dataDir;
  private final CatalogType catalogType;
  private final String catalogName;
  private final String catalogUri;
  private final String warehouse;
  private final String jdbcUser;
  private final String jdbcPassword;
  private final int sqliteBusyTimeoutMs;
  private final int lineageClosureMaxDepth;
  private final Map<String, String> extraCatalogProperties;

  private LakehouseOptions(Settings settings) {
    this.dataDir = Path.of(settings.get(DATA_DIR, DATA_DIR_DEFAULT)).toAbsolutePath().normalize();
    this.catalogType = CatalogType.parse(settings.get(CATALOG_TYPE, CATALOG_TYPE_DEFAULT));
    this.catalogName = settings.get(CATALOG_NAME, CATALOG_NAME_DEFAULT);
    this.warehouse = settings.get(WAREHOUSE, dataDir.resolve("warehouse").toUri().toString());
    this.catalogUri =
        settings
            .find(CATALOG_URI)
            .orElseGet(
                () -> {
                  if (catalogType == CatalogType.SQLITE) {
                    return "jdbc:sqlite:" + sqliteFile();
                  }
                  if (catalogType == CatalogType.HADOOP) {
                    return "";
                  }
                  throw new LakehouseException(
                      ErrorCategory.USER_ERROR,
                      "catalog type %s needs a URI; set %s (env %s)",
                      catalogType.name().toLowerCase(Locale.ROOT),
                      CATALOG_URI,
                      Settings.envName(CATALOG_URI));
                });
    this.jdbcUser = settings.get(JDBC_USER, "");
    this.jdbcPassword = settings.get(JDBC_PASSWORD, "");
    this.sqliteBusyTimeoutMs = settings.getInt(SQLITE_BUSY_TIMEOUT_MS, SQLITE_BUSY_TIMEOUT_MS_DEFAULT);
    this.lineageClosureMaxDepth = settings.getInt(LINEAGE_CLOSURE_MAX_DEPTH, LINEAGE_CLOSURE_MAX_DEPTH_DEFAULT);
    if (lineageClosureMaxDepth < 1) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "%s must be at least 1, got %d", LINEAGE_CLOSURE_MAX_DEPTH, lineageClosureMaxDepth);
    }
    this.extraCatalogProperties = Map.copyOf(settings.withPrefix(CATALOG_PROPERTY_PREFIX));
  }

  /** Resolves the options from layered settings. */
  public static LakehouseOptions from(Settings settings) {
    return new LakehouseOptions(requireNonNull(settings, "settings"));
  }

  /** Embedded defaults rooted at {@code dataDir}; the usual choice in tests. */
  public static LakehouseOptions embedded(Path dataDir) {
    return from(Settings.of(Map.of(DATA_DIR, dataDir.toString())));
  }

  public Path dataDir() {
    return dataDir;
  }

  public CatalogType catalogType() {
    return catalogType;
  }

  public String catalogName() {
    return catalogName;
  }

  public String catalogUri() {
    return catalogUri;
  }

  public String warehouse() {
    return warehouse;
  }

  public String jdbcUser() {
    return jdbcUser;
  }

  public String jdbcPassword() {
    return jdbcPassword;
  }

  public int sqliteBusyTimeoutMs() {
    return sqliteBusyTimeoutMs;
  }

  public int lineageClosureMaxDepth() {
    return lineageClosureMaxDepth;
  }

  public Map<String, String> extraCatalogProperties() {
    return extraCatalogProperties;
  }

  /** The SQLite catalog file of the embedded default. */
  public Path sqliteFile() {
    return dataDir.resolve("catalog.db");
  }

  @Override
  public String toString() {
    // No password: options are logged.
    return "LakehouseOptions{dataDir=" + dataDir + ", catalog=" + catalogType + " " + catalogName
        + ", uri=" + catalogUri + ", warehouse=" + warehouse + "}";
  }
}
