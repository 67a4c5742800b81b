package io.ledgerlake.lakehouse.coordination;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

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

  public Connection connect() throws SQLException {
    Properties p = new Properties();
    if (!user.isEmpty()) {
      p.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      p.setProperty("password", password);
    }
    io.ledgerlake.lakehouse.catalog.JdbcDrivers.register(url); // several Flink jobs in one JVM: see JdbcDrivers
    return DriverManager.getConnection(url, p);
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
