package io.ledgerlake.jobs.schedule;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.util.Map;
import io.ledgerlake.lakehouse.coordination.PostgresTestInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SchedulerTest on a PostgreSQL catalog (the JDBC catalog and the scheduler's tables in one PostgreSQL
 * database), where claims race under READ COMMITTED rather than SQLite's single writer; the two-scheduler test
 * opens its second lakehouse on the same database. Uses the database LEDGERLAKE_TEST_POSTGRES_URL names (e.g.
 * jdbc:postgresql://127.0.0.1:5432/lake?user=postgres) when set, else starts a private PostgreSQL (Debian's package)
 * and is skipped with a message where that cannot run.
 */
class SchedulerPostgresTest extends SchedulerTest {
  private static String url = System.getenv("LEDGERLAKE_TEST_POSTGRES_URL");
  private static PostgresTestInstance pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    if (url == null || url.isBlank()) {
      pg = PostgresTestInstance.startOrSkip();
      url = pg.url() + "?user=postgres";
    }
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
      pg = null;
      url = null;
    }
  }

  @BeforeEach
  @Override
  void open() {
    // Every inherited test starts on empty scheduler tables, as on a fresh SQLite file.
    try (var db = java.sql.DriverManager.getConnection(url); var st = db.createStatement()) {
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
        LakehouseOptions.CATALOG_TYPE, "jdbc", LakehouseOptions.CATALOG_URI, url,
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
