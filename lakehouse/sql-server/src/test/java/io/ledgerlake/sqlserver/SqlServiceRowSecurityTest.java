package io.ledgerlake.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.auth.FileTokenStore;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.dataset.SubmitPolicy;
import io.ledgerlake.ingestion.dataset.Visibility;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.server.DatasetFiles;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row-level security of private datasets through the SQL service, with the real dataset definitions (as the upload
 * API writes them), real tokens and pgjdbc: the rows of a private dataset reach its owner and allowlisted addresses
 * and nobody else, however the statement names the table.
 */
class SqlServiceRowSecurityTest {
  static final String OWNER = "0x00000000000000000000000000000000000000a1";
  static final String ALLOWED = "0x00000000000000000000000000000000000000a2";
  static final String STRANGER = "0x00000000000000000000000000000000000000a3";
  /** Private dataset: 4 records. Public dataset: 2. A dataset with no definition (written by an admin): 1. */
  static final int SECRET_ROWS = 4;
  static final int PUBLIC_ROWS = 3;

  @TempDir static Path dir;
  static Lakehouse lakehouse;
  static SparkSession spark;
  static SqlService service;
  static String catalog;
  static String dataFile;
  static long firstSnapshot;
  static final Map<String, String> tokens = new java.util.HashMap<>();

  @BeforeAll
  static void start() throws IOException {
    LakehouseOptions options = LakehouseOptions.embedded(dir.resolve("data"));
    catalog = options.catalogName();
    lakehouse = Lakehouse.open(options);
    lakehouse.init();
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    TableAppender.append(records, SqlServiceTest.rows(records, "ds-secret", SECRET_ROWS, 0));
    firstSnapshot = records.currentSnapshot().snapshotId();
    TableAppender.append(records, SqlServiceTest.rows(records, "ds-open", 2, 0));
    TableAppender.append(records, SqlServiceTest.rows(records, "ds-undefined", 1, 0));
    try (CloseableIterable<FileScanTask> tasks = records.newScan().planFiles()) {
      dataFile = tasks.iterator().next().file().location();
    }
    define("ds-secret", Visibility.PRIVATE, List.of(ALLOWED));
    define("ds-open", Visibility.PUBLIC, List.of());

    TokenStore store = new FileTokenStore(dir.resolve("auth"), Duration.ofHours(1), Clock.systemUTC());
    for (String address : List.of(OWNER, ALLOWED, STRANGER)) {
      tokens.put(address, store.issue(address).secret());
    }
    spark = SqlService.session(options, SparkOptions.from(Settings.empty()));
    SqlServiceOptions serviceOptions = SqlServiceOptions.from(Settings.of(Map.of(SqlServiceOptions.PORT, "0",
        SqlServiceOptions.SERVICE_USER, "bi", SqlServiceOptions.SERVICE_PASSWORD, "s3cret")));
    // The ingestion data dir of this test is dir: tokens in dir/auth, definitions in dir/datasets.
    service = SqlService.start(spark, serviceOptions,
        new Authenticator(dir.resolve("auth"), Duration.ofHours(1), serviceOptions, Clock.systemUTC()),
        address -> DatasetFiles.unreadableBy(dir, address));
  }

  @AfterAll
  static void stop() {
    service.close();
    lakehouse.close();
  }

  /** A definition file as DatasetStore writes it: owned by OWNER, readable by the allowlist when private. */
  static void define(String id, Visibility visibility, List<String> allowlist) throws IOException {
    DatasetDefinition d = new DatasetDefinition(id, id, "", DataFormat.JSONL, Optional.empty(), "", visibility, OWNER,
        SubmitPolicy.allowlist(allowlist), Instant.parse("2026-01-01T00:00:00Z"));
    Files.createDirectories(dir.resolve("datasets"));
    Files.write(dir.resolve("datasets").resolve(id + ".json"), Json.MAPPER.writeValueAsBytes(d.toJson()));
  }

  static Connection connect(String address) throws SQLException {
    return SqlServiceTest.connect(service, address, tokens.get(address));
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  /** Every way of reaching ingest.records' rows of ds-secret that a statement could take, each as a count. */
  static List<String> waysToTheSecretRows() {
    return List.of(
        "select count(*) from ingest.records where dataset_id = 'ds-secret'",
        "select count(*) from " + catalog + ".ingest.records where dataset_id = 'ds-secret'",
        "select count(*) from `" + catalog + "`.`ingest`.`records` where dataset_id = 'ds-secret'",
        "select count(*) from (select * from ingest.records) t where t.dataset_id = 'ds-secret'",
        "with s as (select * from ingest.records) select count(*) from s a join s b using (record_cid)"
            + " where a.dataset_id = 'ds-secret'",
        "select count(*) from ingest.records a join " + catalog + ".ingest.records b on a.record_cid = b.record_cid"
            + " where b.dataset_id = 'ds-secret'",
        "select count(*) from range(100) where id < (select count(*) from ingest.records where dataset_id = 'ds-secret')",
        "select count(*) from range(1) where exists (select 1 from ingest.records where dataset_id = 'ds-secret')",
        "select count(*) from ingest.records where record_cid in"
            + " (select record_cid from ingest.records where dataset_id = 'ds-secret')",
        "select count(*) from ingest.records version as of " + firstSnapshot,
        "select count(*) from ingest.records, lateral (select dataset_id as d) where d = 'ds-secret'",
        "select count(*) from (select explode(array(1)) x) join ingest.records on true where dataset_id = 'ds-secret'");
  }

  @Test
  void anotherUserSeesNoRowOfThePrivateDataset() throws SQLException {
    try (Connection c = connect(STRANGER)) {
      assertThat(count(c, "select count(*) from ingest.records")).isEqualTo(PUBLIC_ROWS);
      for (String sql : waysToTheSecretRows()) {
        assertThat(count(c, sql)).as(sql).isZero();
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from ingest.records")) {
        List<String> datasets = new ArrayList<>();
        while (rs.next()) {
          datasets.add(rs.getString("dataset_id"));
        }
        assertThat(datasets).hasSize(PUBLIC_ROWS).doesNotContain("ds-secret").contains("ds-open", "ds-undefined");
      }
      // extended protocol with a bound parameter (pgjdbc's prepared statements, described before they run)
      try (PreparedStatement p = c.prepareStatement("select count(*) from ingest.records where dataset_id = ?")) {
        p.setString(1, "ds-secret");
        try (ResultSet rs = p.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isZero();
        }
      }
    }
  }

  @Test
  void theServiceAccountHasNoAddressAndSeesPublicRowsOnly() throws SQLException {
    try (Connection c = SqlServiceTest.connect(service, "bi", "s3cret")) {
      assertThat(count(c, "select count(*) from ingest.records")).isEqualTo(PUBLIC_ROWS);
      assertThat(count(c, waysToTheSecretRows().get(1))).isZero();
    }
  }

  @Test
  void theOwnerAndAnAllowlistedAddressSeeEveryRow() throws SQLException {
    for (String reader : List.of(OWNER, ALLOWED)) {
      try (Connection c = connect(reader)) {
        assertThat(count(c, "select count(*) from ingest.records")).as(reader).isEqualTo(SECRET_ROWS + PUBLIC_ROWS);
        List<String> ways = waysToTheSecretRows();
        assertThat(count(c, ways.get(0))).as(reader).isEqualTo(SECRET_ROWS);
        assertThat(count(c, ways.get(1))).as(reader).isEqualTo(SECRET_ROWS);
        assertThat(count(c, ways.get(4))).as(reader).isEqualTo(SECRET_ROWS);
        assertThat(count(c, ways.get(6))).as(reader).isEqualTo(SECRET_ROWS);
        assertThat(count(c, ways.get(9))).as(reader).isEqualTo(SECRET_ROWS);
      }
    }
  }

  @Test
  void statementsTheFilterCannotCoverAreRefused() throws SQLException {
    try (Connection c = connect(OWNER); Statement s = c.createStatement()) {
      for (String sql : List.of(
          "select * from ingest.records.files",
          "select * from " + catalog + ".ingest.records.partitions",
          "select count(*) from parquet.`" + dataFile + "`",
          "describe table extended ingest.records dataset_id",
          "select reflect('java.lang.System', 'getenv', 'HOME')",
          "select count(*) from ingest.records where java_method('java.lang.String', 'valueOf', dataset_id) = 'x'",
          "select try_reflect('java.lang.System', 'getProperty', 'user.home')")) {
        assertThatThrownBy(() -> s.executeQuery(sql)).as(sql).isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage())
                .isEqualTo("42501"));
      }
      // browsing the catalog and metadata tables of tables without dataset_id stay possible
      try (ResultSet rs = s.executeQuery("show tables in ingest")) {
        assertThat(rs.next()).isTrue();
      }
      assertThat(count(c, "select count(*) from lineage.closure.snapshots")).isGreaterThanOrEqualTo(0);
    }
  }

  /** An INSERT ... SELECT could copy private rows into a table without dataset_id: writes need row security off. */
  @Test
  void writesAreRefusedUnderRowSecurityEvenWhenAllowed() throws SQLException {
    SqlServiceOptions writable = SqlServiceOptions.from(Settings.of(Map.of(SqlServiceOptions.PORT, "0",
        SqlServiceOptions.ALLOW_WRITES, "true")));
    try (SqlService admin = SqlService.start(spark, writable,
            new Authenticator(dir.resolve("auth"), Duration.ofHours(1), writable, Clock.systemUTC()),
            address -> DatasetFiles.unreadableBy(dir, address));
        Connection c = SqlServiceTest.connect(admin, OWNER, tokens.get(OWNER)); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("create table ingest.row_security_copy using iceberg as select * from ingest.records"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
          .hasMessageContaining(SqlServiceOptions.ROW_SECURITY);
    }
    assertThat(lakehouse.catalog().tableExists(org.apache.iceberg.catalog.TableIdentifier.of("ingest", "row_security_copy")))
        .isFalse();
  }

  @Test
  void anAllowlistChangeCountsFromTheNextStatement() throws Exception {
    try (Connection c = connect(STRANGER)) {
      String secret = waysToTheSecretRows().get(0);
      assertThat(count(c, secret)).isZero();
      define("ds-secret", Visibility.PRIVATE, List.of(ALLOWED, STRANGER));
      try {
        assertThat(count(c, secret)).isEqualTo(SECRET_ROWS);
      } finally {
        define("ds-secret", Visibility.PRIVATE, List.of(ALLOWED));
      }
      assertThat(count(c, secret)).isZero();
    }
  }
}
