package io.ledgerlake.sqlserver;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.common.config.Settings;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Keys and defaults of the SQL service ({@code ledgerlake sql-server}); see docs/sql.md. */
public final class SqlServiceOptions {
  public static final String PREFIX = "ledgerlake.sql-server.";

  /**
   * Whether {@code ledgerlake up} starts the service beside the platform. On by default so that analysts find a SQL
   * endpoint wherever the platform runs; off saves the memory of a Spark session ({@code ledgerlake sql-server} starts
   * it regardless).
   */
  public static final String ENABLED = PREFIX + "enabled";

  public static final boolean ENABLED_DEFAULT = true;

  /** Interface to listen on. Loopback by default: passwords travel in clear text (no TLS yet), see docs/sql.md. */
  public static final String BIND = PREFIX + "bind";

  public static final String BIND_DEFAULT = "127.0.0.1";

  /** TCP port; 15432 rather than 5432 so that a local PostgreSQL keeps its port. 0 picks a free port (tests). */
  public static final String PORT = PREFIX + "port";

  public static final int PORT_DEFAULT = 15432;

  /** Longest a statement may run (ISO-8601 duration such as PT60S, or seconds); 0 = no limit. */
  public static final String QUERY_TIMEOUT = PREFIX + "query-timeout";

  public static final Duration QUERY_TIMEOUT_DEFAULT = Duration.ofSeconds(60);

  /**
   * Most rows one statement may return. A query with more fails (SQLSTATE 54000) rather than silently returning a
   * prefix: a BI tool's total over a cut result would be wrong without anyone noticing. The whole result is held in the
   * service's memory, so this also bounds memory per connection.
   */
  public static final String MAX_ROWS = PREFIX + "max-rows";

  public static final int MAX_ROWS_DEFAULT = 100_000;

  /** Most concurrent client connections; more are refused with SQLSTATE 53300. */
  public static final String MAX_CONNECTIONS = PREFIX + "max-connections";

  public static final int MAX_CONNECTIONS_DEFAULT = 32;

  /**
   * Lets clients run DDL and DML. Off by default and separate from {@code ledgerlake.sql.allow-writes}: the service
   * serves every token holder, the CLI flag only the administrator at the shell.
   */
  public static final String ALLOW_WRITES = PREFIX + "allow-writes";

  public static final boolean ALLOW_WRITES_DEFAULT = false;

  /**
   * Row-level security of private datasets: a login sees rows of a private dataset (any table with a
   * {@code dataset_id} column) only as its owner or an allowlisted address, and statements the filter cannot vouch for
   * are refused (docs/decisions/sql-service-row-security.md). On by default; off means every login reads every row
   * (and writes, when allowed, are possible: under row security they are refused).
   */
  public static final String ROW_SECURITY = PREFIX + "row-security";

  public static final boolean ROW_SECURITY_DEFAULT = true;

  /**
   * A service account for programs without an EVM key (a BI server): user name and password. Both must be set to
   * enable it; the password should come from the environment ({@code LEDGERLAKE_SQL_SERVER_SERVICE_PASSWORD}).
   */
  public static final String SERVICE_USER = PREFIX + "service-user";

  public static final String SERVICE_PASSWORD = PREFIX + "service-password";

  public static final List<String> KEYS =
      List.of(ENABLED, BIND, PORT, QUERY_TIMEOUT, MAX_ROWS, MAX_CONNECTIONS, ALLOW_WRITES, ROW_SECURITY, SERVICE_USER, SERVICE_PASSWORD);

  private final boolean enabled;
  private final String bind;
  private final int port;
  private final Duration queryTimeout;
  private final int maxRows;
  private final int maxConnections;
  private final boolean allowWrites;
  private final boolean rowSecurity;
  private final Optional<String> serviceUser;
  private final Optional<String> servicePassword;

  private SqlServiceOptions(Settings settings) {
    this.enabled = Boolean.parseBoolean(settings.get(ENABLED, Boolean.toString(ENABLED_DEFAULT)).trim());
    this.bind = settings.get(BIND, BIND_DEFAULT).trim();
    this.port = settings.getInt(PORT, PORT_DEFAULT);
    if (port < 0 || port > 65535) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "setting %s=%d is not a TCP port (0-65535)", PORT, port);
    }
    this.queryTimeout = duration(settings, QUERY_TIMEOUT, QUERY_TIMEOUT_DEFAULT);
    this.maxRows = positive(settings, MAX_ROWS, MAX_ROWS_DEFAULT);
    this.maxConnections = positive(settings, MAX_CONNECTIONS, MAX_CONNECTIONS_DEFAULT);
    this.allowWrites = Boolean.parseBoolean(settings.get(ALLOW_WRITES, Boolean.toString(ALLOW_WRITES_DEFAULT)).trim());
    this.rowSecurity = Boolean.parseBoolean(settings.get(ROW_SECURITY, Boolean.toString(ROW_SECURITY_DEFAULT)).trim());
    this.serviceUser = settings.find(SERVICE_USER).map(String::trim);
    this.servicePassword = settings.find(SERVICE_PASSWORD);
    if (serviceUser.isPresent() != servicePassword.isPresent()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "set both %s and %s to enable the service account, or neither", SERVICE_USER, SERVICE_PASSWORD);
    }
  }

  public static SqlServiceOptions from(Settings settings) {
    return new SqlServiceOptions(settings);
  }

  /** Whether {@code ledgerlake up} starts the service. */
  public boolean enabled() {
    return enabled;
  }

  public String bind() {
    return bind;
  }

  public int port() {
    return port;
  }

  /** Zero means no limit. */
  public Duration queryTimeout() {
    return queryTimeout;
  }

  public int maxRows() {
    return maxRows;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public boolean allowWrites() {
    return allowWrites;
  }

  public boolean rowSecurity() {
    return rowSecurity;
  }

  public Optional<String> serviceUser() {
    return serviceUser;
  }

  public Optional<String> servicePassword() {
    return servicePassword;
  }

  private static int positive(Settings settings, String key, int defaultValue) {
    int v = settings.getInt(key, defaultValue);
    if (v < 1) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "setting %s=%d must be at least 1", key, v);
    }
    return v;
  }

  private static Duration duration(Settings settings, String key, Duration defaultValue) {
    Optional<String> raw = settings.find(key).map(String::trim);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      Duration d = raw.get().chars().allMatch(Character::isDigit)
          ? Duration.ofSeconds(Long.parseLong(raw.get()))
          : Duration.parse(raw.get());
      if (d.isNegative()) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "setting %s=%s must not be negative", key, raw.get());
      }
      return d;
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, e,
          "setting %s=%s is not a duration; give seconds (60) or ISO-8601 (PT1M)", key, raw.get());
    }
  }
}
