package io.ledgerlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command through the real entry point against a real SQLite catalog and a real Spark
 * local session (one SparkContext per test JVM; each command gets its own session).
 */
class LedgerLakeCliTest {
  @TempDir Path dir;


  @BeforeEach
  void isolateEnvironment() {
    // The developer's own LEDGERLAKE_* variables must not leak into tests.
    LedgerLake.environmentForTests(Map.of());
  }

  @AfterEach
  void restoreEnvironment() {
    LedgerLake.environmentForTests(null);
  }

  CliRun run(String... args) {
    return CliRun.run(dir.resolve("data"), args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"init", "tables", "sql", "sql-server", "demo", ""})
  void everyCommandHasHelp(String command) {
    CliRun r = command.isEmpty() ? run("--help") : run(command, "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: ledgerlake").contains("--data-dir");
  }

  @Test
  void initTwiceIsANoOp() {
    CliRun first = run("init");
    assertThat(first.code()).isZero();
    assertThat(first.out()).contains("27 tables created");
    CliRun second = run("init");
    assertThat(second.code()).isZero();
    assertThat(second.out()).contains("0 tables created, 0 evolved, 27 unchanged");
  }

  @Test
  void tablesListsTheModel() {
    run("init");
    CliRun r = run("tables", "--format", "csv");
    assertThat(r.code()).isZero();
    assertThat(r.out().lines().toList())
        .first()
        .isEqualTo("table,rows,current_snapshot,last_commit");
    assertThat(r.out()).contains("ingest.records,0,,").contains("attribution.revenue_shares,0,,");
  }

  // The demo itself (twice: idempotent) is DemoITCase's first test: it is also the baseline its clustered run must
  // match, so the suite runs it once.

  @Test
  void unknownTableIsOneLineExit2() {
    run("init");
    CliRun r = run("sql", "select * from ingest.nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("ledgerlake: error: SQL error").contains("nope");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void dropTableIsRefusedWithExit2AndTheTableRemains() {
    run("init");
    CliRun r = run("sql", "DROP TABLE ingest.records");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("ledgerlake: error: refused: DROP TABLE").contains("--allow-writes");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(run("sql", "select count(*) from ingest.records").code()).isZero();
  }

  @Test
  void syntaxErrorIsOneLineExit2() {
    CliRun r = run("sql", "selec 1 frm");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("PARSE_SYNTAX_ERROR");
  }

  @Test
  void verboseShowsTheStackTrace() {
    CliRun r = run("sql", "selec 1", "--verbose");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("\tat ");
  }

  @Test
  void unwritableDataDirIsOneLineExit2() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    CliRun r = run("init", "--data-dir", file.resolve("sub").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("data directory").contains(file.toString());
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
  }

  @Test
  void corruptCatalogIsNamed() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("catalog.db"), "garbage ".repeat(200));
    CliRun r = run("tables");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(data.resolve("catalog.db").toString()).contains("corrupt");
  }

  @Test
  void unknownCommandAndMissingCommandExit2() {
    assertThat(run("bogus").code()).isEqualTo(2);
    CliRun none = run();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("missing command");
  }

  @Test
  void dataDirBeforeTheCommandWorksAndEnvironmentIsUsed() {
    Path viaEnv = dir.resolve("env-data");
    LedgerLake.environmentForTests(Map.of("LEDGERLAKE_DATA_DIR", viaEnv.toString()));
    StringWriter out = new StringWriter();
    int code = LedgerLake.execute(new String[] {"init"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    assertThat(code).isZero();
    assertThat(Files.exists(viaEnv.resolve("catalog.db"))).isTrue();

    Path before = dir.resolve("before");
    code = LedgerLake.execute(new String[] {"--data-dir", before.toString(), "init"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    assertThat(code).isZero();
    assertThat(Files.exists(before.resolve("catalog.db"))).isTrue();
  }
}
