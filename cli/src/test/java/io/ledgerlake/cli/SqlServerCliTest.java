package io.ledgerlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.sqlserver.Authenticator;
import io.ledgerlake.sqlserver.SqlService;
import io.ledgerlake.sqlserver.SqlServiceOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledgerlake sql} through a running SQL service: with --url, found on the configured port, and failing. */
class SqlServerCliTest {
  @TempDir Path dir;

  @BeforeEach
  void isolateEnvironment() {
    LedgerLake.environmentForTests(Map.of());
  }

  @AfterEach
  void restoreEnvironment() {
    LedgerLake.environmentForTests(null);
  }

  CliRun run(String... args) {
    return CliRun.run(dir.resolve("data"), args);
  }

  @Test
  void sqlUsesARunningService() {
    assertThat(run("init").code()).isZero();
    Settings settings = Settings.of(Map.of(SqlServiceOptions.PORT, "0", SqlServiceOptions.SERVICE_USER, "bi",
        SqlServiceOptions.SERVICE_PASSWORD, "pw"));
    SqlServiceOptions options = SqlServiceOptions.from(settings);
    LakehouseOptions lakehouse = LakehouseOptions.embedded(dir.resolve("data"));
    try (SqlService service = SqlService.start(SqlService.session(lakehouse, SparkOptions.from(Settings.empty())),
        options, new Authenticator(dir.resolve("auth"), Duration.ofHours(1), options, Clock.systemUTC()),
        address -> io.ledgerlake.ingestion.server.DatasetFiles.unreadableBy(dir, address))) {
      String[] account = {"-D", SqlServiceOptions.SERVICE_USER + "=bi", "-D", SqlServiceOptions.SERVICE_PASSWORD + "=pw"};
      CliRun viaUrl = run(concat(new String[] {"sql", "--url", "postgresql://127.0.0.1:" + service.port(),
          "select count(*) as n, 'x' as s from ingest.records", "--format", "csv"}, account));
      assertThat(viaUrl.code()).as(viaUrl.err()).isZero();
      assertThat(viaUrl.out().lines().toList()).containsExactly("n,s", "0,x");

      // No --url: the service on the configured port answers. version() is the service's own answer, not Spark's.
      CliRun found = run(concat(new String[] {"sql", "select version() as v", "--format", "csv",
          "-D", SqlServiceOptions.PORT + "=" + service.port()}, account));
      assertThat(found.code()).as(found.err()).isZero();
      assertThat(found.out()).contains("PostgreSQL 14.0");

      CliRun refused = run(concat(new String[] {"sql", "--url", "postgresql://127.0.0.1:" + service.port(),
          "drop table ingest.records"}, account));
      assertThat(refused.code()).isEqualTo(LedgerLake.EXIT_USER_ERROR);
      assertThat(refused.err()).contains("42501");
    }
  }

  @Test
  void explicitUrlWithoutCredentialsOrServiceFails() {
    CliRun none = run("sql", "--url", "postgresql://127.0.0.1:1", "--user", "0x00000000000000000000000000000000000000aa",
        "select 1");
    assertThat(none.code()).isEqualTo(LedgerLake.EXIT_USER_ERROR);
    assertThat(none.err()).contains("no credentials");
    CliRun unreachable = run("sql", "--url", "postgresql://127.0.0.1:1", "-D", SqlServiceOptions.SERVICE_USER + "=bi",
        "-D", SqlServiceOptions.SERVICE_PASSWORD + "=pw", "select 1");
    assertThat(unreachable.code()).isEqualTo(LedgerLake.EXIT_FAILURE);
    assertThat(unreachable.err()).contains("cannot reach the SQL service");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
