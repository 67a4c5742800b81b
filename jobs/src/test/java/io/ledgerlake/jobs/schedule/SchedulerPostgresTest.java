package io.ledgerlake.jobs.schedule;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SchedulerTest on a PostgreSQL catalog (the JDBC catalog and the scheduler's tables in one PostgreSQL
 * database), where claims race under READ COMMITTED rather than SQLite's single writer; the two-scheduler test
 * opens its second lakehouse on the same database. Runs when
 * LEDGERLAKE_TEST_POSTGRES_URL names an empty database (e.g. jdbc:postgresql://127.0.0.1:5432/lake?user=postgres);
 * skipped otherwise (CI has no PostgreSQL server).
 */
class SchedulerPostgresTest extends SchedulerTest {
  private static final String URL = System.getenv("LEDGERLAKE_TEST_POSTGRES_URL");

  @BeforeEach
  @Override
  void open() {
    Assumptions.assumeTrue(URL != null && !URL.isBlank(),
        "LEDGERLAKE_TEST_POSTGRES_URL is not set: the PostgreSQL variant was not run");
    // Every inherited test starts on empty scheduler tables, as on a fresh SQLite file.
    try (var db = java.sql.DriverManager.getConnection(URL); var st = db.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + ScheduleStore.TICKS + ", " + ScheduleStore.SCHEDULES);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    lakehouse = Lakehouse.open(options());
    lakehouse.init();
  }

  private LakehouseOptions options() {
    // Each test gets its own catalog name, so runs of the test do not see each other's tables.
    return LakehouseOptions.from(Settings.of(Map.of(LakehouseOptions.DATA_DIR, dir.toString(),
        LakehouseOptions.CATALOG_TYPE, "jdbc", LakehouseOptions.CATALOG_URI, URL,
        LakehouseOptions.CATALOG_NAME, "t" + Math.abs(dir.hashCode()))));
  }

  @Test
  @Override
  void twoSchedulersOnOneDatabaseRunEachTickOnce() throws Exception {
    Lakehouse second = Lakehouse.open(options());
    extraLakehouses.add(second);
    twoSchedulersRunEachTickOnce(second);
  }
}
