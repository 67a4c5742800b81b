package io.ledgerlake.lakehouse.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.versions.DatasetVersions;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Spark local session reading what the Iceberg Java API wrote to a real SQLite catalog. */
class SqlRunnerTest {
  @TempDir static Path dir;
  static Lakehouse lakehouse;
  static SqlRunner sql;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    LakehouseOptions options = LakehouseOptions.embedded(dir);
    lakehouse = Lakehouse.open(options);
    lakehouse.init();
    spark = LakehouseSpark.session(options, SparkOptions.from(Settings.empty()));
    sql = new SqlRunner(spark);
  }

  @AfterAll
  static void stop() {
    lakehouse.close();
  }

  static List<Record> rows(Table t, String dataset, int n, String contributor) {
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> v = new HashMap<>();
      v.put("record_cid", "cid-" + dataset + "-" + i);
      v.put("dataset_id", dataset);
      v.put("submission_id", "s-" + dataset);
      v.put("contributor", contributor);
      v.put("content_cid", "bafy-" + dataset);
      v.put("record_json", "{}");
      v.put("byte_size", 2 + i);
      v.put("ingested_at", OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
      out.add(Rows.of(t.schema(), v));
    }
    return out;
  }

  @Test
  void sparkReadsWhatJavaWroteIncludingTaggedVersions() {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    TableAppender.append(records, rows(records, "alpha", 7, "0xaaa"));
    lakehouse.versions(TableModel.INGEST_RECORDS).tagCurrent(DatasetVersions.tagName("alpha", 1));
    TableAppender.append(records, rows(records, "alpha", 3, "0xbbb"));

    QueryResult now =
        sql.run(
            "select contributor, count(*) as n, sum(byte_size) as bytes from ingest.records"
                + " where dataset_id = 'alpha' group by contributor order by contributor",
            100);
    assertThat(now.columns()).containsExactly("contributor", "n", "bytes");
    assertThat(now.rows()).containsExactly(List.of("0xaaa", 7L, 35L), List.of("0xbbb", 3L, 9L));

    QueryResult v1 =
        sql.run("select count(*) from ingest.records version as of 'alpha-v1' where dataset_id = 'alpha'", 10);
    assertThat(v1.rows()).containsExactly(List.of(7L));
  }

  @Test
  void timestampsAndNullsComeBackAsPlainJava() {
    QueryResult r = sql.run("select timestamp'2026-01-02 03:04:05' as t, cast(null as string) as s, array('a','b') as a", 10);
    assertThat(r.rows().get(0).get(0)).isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(r.rows().get(0).get(1)).isNull();
    assertThat(r.rows().get(0).get(2)).isEqualTo(List.of("a", "b"));
  }

  @Test
  void truncatesAtMaxRows() {
    QueryResult r = sql.run("select id from range(10)", 4);
    assertThat(r.rows()).hasSize(4);
    assertThat(r.truncated()).isTrue();
  }

  @Test
  void unknownTableIsOneLineUserError() {
    assertThatThrownBy(() -> sql.run("select * from ingest.nope", 10))
        .isInstanceOf(LakehouseException.class)
        .satisfies(e -> assertThat(((LakehouseException) e).category()).isEqualTo(ErrorCategory.USER_ERROR))
        .hasMessageContaining("nope")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void syntaxErrorIsOneLineUserError() {
    assertThatThrownBy(() -> sql.run("selec count(*) from ingest.records", 10))
        .isInstanceOf(LakehouseException.class)
        .satisfies(e -> assertThat(((LakehouseException) e).category()).isEqualTo(ErrorCategory.USER_ERROR))
        .hasMessageContaining("SQL error")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void writesAreRefusedByTheParsedPlanAndTheTableKeepsItsRows() {
    Table reconciliation = lakehouse.table(TableModel.OPS_RECONCILIATION);
    // lineage.edges, not ingest.records: Spark's catalog caches a table it has read, and the other tests append to
    // ingest.records through the Java API after this one.
    io.ledgerlake.lakehouse.lineage.LineageEdge.append(lakehouse, List.of(new io.ledgerlake.lakehouse.lineage.LineageEdge(
        io.ledgerlake.lakehouse.lineage.NodeKind.SUBMISSION, "bafyguard", null,
        io.ledgerlake.lakehouse.lineage.NodeKind.DATASET_VERSION, "guard-v1", null, "contains")), "guard", OffsetDateTime.now());
    long before = (Long) sql.run("select count(*) from lineage.edges", 1).rows().get(0).get(0);
    List<String> writes = List.of(
        "DROP TABLE lineage.edges",
        "drop table if exists lineage.edges purge",
        "/* just a comment */ DrOp   TaBlE\n lineage.edges",
        "DELETE FROM lineage.edges WHERE dataset_id = 'guard'",
        "INSERT INTO lineage.edges SELECT * FROM lineage.edges",
        "INSERT OVERWRITE lineage.edges SELECT * FROM lineage.edges",
        "WITH x AS (SELECT * FROM lineage.edges) INSERT INTO lineage.edges SELECT * FROM x",
        "UPDATE lineage.edges SET byte_size = 0",
        "MERGE INTO lineage.edges t USING lineage.edges s ON t.record_cid = s.record_cid WHEN MATCHED THEN DELETE",
        "ALTER TABLE lineage.edges DROP COLUMN byte_size",
        "ALTER TABLE lineage.edges SET TBLPROPERTIES ('x' = 'y')",
        "CREATE TABLE ops.evil (a int)",
        "CREATE TABLE ops.evil2 AS SELECT * FROM lineage.edges",
        "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1",
        "CREATE VIEW ops.v AS SELECT 1",
        "TRUNCATE TABLE lineage.edges",
        "CALL ledgerlake.system.rollback_to_snapshot('lineage.edges', 1)",
        "CACHE TABLE lineage.edges",
        "REFRESH TABLE lineage.edges",
        "SET spark.sql.catalog.ledgerlake.warehouse=/tmp/elsewhere",
        "RESET",
        "ADD JAR /tmp/evil.jar",
        "CREATE FUNCTION f AS 'x.Y'",
        "EXPLAIN DROP TABLE lineage.edges",
        "EXECUTE IMMEDIATE 'DROP TABLE lineage.edges'",
        "EXECUTE IMMEDIATE 'SELECT count(*) FROM lineage.edges'",
        "select 1; drop table lineage.edges");
    for (String write : writes) {
      assertThatThrownBy(() -> sql.run(write, 10)).as(write)
          .isInstanceOf(LakehouseException.class)
          .satisfies(e -> assertThat(((LakehouseException) e).category()).isEqualTo(ErrorCategory.USER_ERROR))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    assertThatThrownBy(() -> sql.run("DROP TABLE lineage.edges", 10)).hasMessageContaining("refused: DROP TABLE");
    assertThatThrownBy(() -> sql.run("execute immediate 'DROP TABLE lineage.edges'", 10))
        .hasMessageContaining("refused: EXECUTE IMMEDIATE");
    assertThat((Long) sql.run("select count(*) from lineage.edges", 1).rows().get(0).get(0)).isEqualTo(before);
    assertThat(reconciliation.schema().findField("check_kind")).isNotNull();

    // Reads of every shape still run.
    for (String read : List.of(
        "select count(*) from lineage.edges",
        "with x as (select source_id from lineage.edges) select count(*) from x",
        "values (1, 2)",
        "show tables in ingest",
        "describe table lineage.edges",
        "show tblproperties lineage.edges",
        "explain select * from lineage.edges",
        "set",
        "set spark.sql.shuffle.partitions",
        "select * from lineage.edges.snapshots")) {
      sql.run(read, 5);
    }
  }

  @Test
  void theAdminOptionAllowsWrites() {
    SqlRunner admin = new SqlRunner(spark, true);
    admin.run("CREATE TABLE ops.admin_scratch (a int) USING iceberg", 1);
    admin.run("INSERT INTO ops.admin_scratch VALUES (1)", 1);
    assertThat(sql.run("select count(*) from ops.admin_scratch", 1).rows().get(0).get(0)).isEqualTo(1L);
    admin.run("DROP TABLE ops.admin_scratch", 1);
  }
}
