package io.ledgerlake.lakehouse.coordination;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The catalog database as the home of coordination state: connections with the catalog's own credentials, the schema
 * migrated on first use. {@link #forCatalog} is the selection point: present only for a PostgreSQL JDBC catalog.
 */
public record CoordinationDatabase(String url, String user, String password) {
  public CoordinationDatabase {
    requireNonNull(url, "url");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
  }

  /** Empty unless the catalog is PostgreSQL (the embedded SQLite catalog keeps the local-file implementations). */
  public static Optional<CoordinationDatabase> forCatalog(LakehouseOptions options) {
    if (!JdbcLeaseStore.isPostgresCatalog(options)) {
      return Optional.empty();
    }
    CoordinationDatabase db = new CoordinationDatabase(options.catalogUri(), options.jdbcUser(), options.jdbcPassword());
    db.migrate();
    return Optional.of(db);
  }

  public void migrate() {
    try (Connection c = connect()) {
      CoordinationSchema.migrate(c);
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  /**
   * A connection from this database's pool; closing it returns it. Every API request checks a token and reads a
   * dataset here, and a new PostgreSQL connection costs a TCP handshake, authentication and a backend process: one
   * small pool per database and JVM, shared by every store over it (all are equal records of the same settings).
   */
  public Connection connect() throws SQLException {
    return POOLS.computeIfAbsent(this, CoordinationDatabase::newPool).getConnection();
  }

  private static final java.util.concurrent.ConcurrentMap<CoordinationDatabase, HikariDataSource> POOLS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static HikariDataSource newPool(CoordinationDatabase db) {
    io.ledgerlake.lakehouse.catalog.JdbcDrivers.register(db.url()); // several Flink jobs in one JVM: see JdbcDrivers
    HikariConfig config = new HikariConfig();
    config.setPoolName("ledgerlake-coordination");
    config.setJdbcUrl(db.url());
    if (!db.user().isEmpty()) {
      config.setUsername(db.user());
    }
    if (!db.password().isEmpty()) {
      config.setPassword(db.password());
    }
    // Small and idle-friendly: a process holds a few connections while busy and none a minute after, so many
    // processes (ups, CLI commands) fit in PostgreSQL's connection limit.
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setIdleTimeout(60_000);
    config.setConnectionTimeout(10_000);
    // Fail on first use with the caller's error (unreachable), not while building the pool.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  public LakehouseException unreachable(SQLException e) {
    return new LakehouseException(ErrorCategory.EXTERNAL, e,
        "cannot use the coordination tables in the catalog database %s: %s; check that PostgreSQL is running and "
            + "%s / %s are right", url, e.getMessage(), LakehouseOptions.CATALOG_URI, LakehouseOptions.JDBC_USER);
  }

  @Override
  public String toString() {
    return "CoordinationDatabase[" + url + ", user=" + user + "]"; // never the password
  }
}
