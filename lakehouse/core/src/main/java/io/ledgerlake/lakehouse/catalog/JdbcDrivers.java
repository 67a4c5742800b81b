package io.ledgerlake.lakehouse.catalog;

import java.util.Map;

/**
 * Registers the JDBC driver of a catalog URL from the class loader that holds the catalog code. {@code DriverManager}
 * only hands a driver to callers whose class loader can see that very driver class, and it discovers drivers once,
 * through the thread's context class loader at its first use. Under a Flink cluster every job has its own user-code
 * class loader with its own copy of the driver (it ships in the job jar), so the second job on a JobManager or
 * TaskManager would find only the first job's copy and fail with "No suitable driver". Loading the driver class here
 * runs its static initializer in this loader, which registers this loader's copy.
 */
public final class JdbcDrivers {
  /** URL prefix → driver class, for the catalogs LedgerLake configures (SQLite embedded, PostgreSQL). */
  private static final Map<String, String> DRIVERS =
      Map.of("jdbc:sqlite:", "org.sqlite.JDBC", "jdbc:postgresql:", "org.postgresql.Driver");

  private JdbcDrivers() {}

  /** Registers the driver for {@code url} if it is one of the known ones and on this class path; otherwise nothing. */
  public static void register(String url) {
    if (url == null) {
      return;
    }
    DRIVERS.forEach((prefix, driver) -> {
      if (url.startsWith(prefix)) {
        try {
          Class.forName(driver, true, JdbcDrivers.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          // not on this class path: DriverManager's own lookup reports the URL it cannot serve
        }
      }
    });
  }
}
