package io.ledgerlake.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.util.ByteConverter;

/** The text-level pieces of the service without Spark: statement splitting, parameters, encodings. */
class SqlServiceWireTest {
  @Test
  void splitsAtTopLevelSemicolonsOnly() {
    assertThat(SqlText.split("select 1; select ';' as s -- ; comment\n; /* ; */ ;  "))
        .containsExactly("select 1", "select ';' as s -- ; comment");
    assertThat(SqlText.split("  ;  -- nothing\n")).isEmpty();
    assertThat(SqlText.split("select 'it\\'s; fine'")).containsExactly("select 'it\\'s; fine'");
  }

  @Test
  void bindsMarkersOutsideQuotesAndComments() {
    String sql = "select * from t where a = $1 and b = '$2' and c = $2 -- $3\n and d = `$1`";
    assertThat(SqlText.parameterCount(sql)).isEqualTo(2);
    assertThat(SqlText.bind(sql, List.of("1", "'x'")))
        .isEqualTo("select * from t where a = 1 and b = '$2' and c = 'x' -- $3\n and d = `$1`");
    assertThatThrownBy(() -> SqlText.bind("select $3", List.of("1")))
        .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("08P01"));
  }

  @Test
  void literalsCannotEscapeTheirQuotes() {
    assertThat(PgTypes.literal(PgTypes.VARCHAR, bytes("x' or '1'='1"), false)).isEqualTo("'x\\' or \\'1\\'=\\'1'");
    assertThat(PgTypes.literal(PgTypes.TEXT, bytes("a\\' --"), false)).isEqualTo("'a\\\\\\' --'");
    assertThat(PgTypes.literal(PgTypes.INT4, bytes("42"), false)).isEqualTo("42");
    assertThatThrownBy(() -> PgTypes.literal(PgTypes.INT8, bytes("1; drop table x"), false))
        .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"));
    assertThat(PgTypes.literal(PgTypes.INT8, new byte[] {0, 0, 0, 0, 0, 0, 1, 0}, true)).isEqualTo("256L");
    assertThat(PgTypes.literal(PgTypes.FLOAT8, bytes("NaN"), false)).isEqualTo("CAST('NaN' AS DOUBLE)");
    assertThat(PgTypes.literal(0, null, false)).isEqualTo("NULL");
  }

  @Test
  void numericBinaryIsWhatPgjdbcDecodes() {
    for (String v : List.of("0", "12345.678", "0.01", "10000", "-98765432109876543210.123456789", "1E+3", "0.00001")) {
      byte[] encoded = PgTypes.numeric(new BigDecimal(v));
      BigDecimal decoded = (BigDecimal) ByteConverter.numeric(encoded, 0, encoded.length);
      assertThat(decoded).as(v).isEqualByComparingTo(v);
    }
  }

  @Test
  void textFormatsFollowPostgres() {
    assertThat(PgTypes.text(true)).isEqualTo("t");
    assertThat(PgTypes.text(2.0)).isEqualTo("2");
    assertThat(PgTypes.text(1.0e20)).isEqualTo("1e+20");
    assertThat(PgTypes.text(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    assertThat(PgTypes.text(Instant.parse("2026-01-01T00:00:00.120Z"))).isEqualTo("2026-01-01 00:00:00.12+00");
    assertThat(PgTypes.text(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("2026-01-01 00:00:00+00");
    assertThat(PgTypes.text(new byte[] {1, (byte) 0xab})).isEqualTo("\\x01ab");
    assertThat(PgTypes.text(Map.of("k", List.of(1L, "a\"b")))).isEqualTo("{\"k\":[1,\"a\\\"b\"]}");
  }

  @Test
  void sessionStatementsAreAnsweredLocally() {
    SessionStatements s = new SessionStatements("4.0.1", Map.of("application_name", "psql"));
    assertThat(s.answer("SET extra_float_digits = 3").tag()).isEqualTo("SET");
    assertThat(s.answer("set session application_name to 'bi'").tag()).isEqualTo("SET");
    assertThat(s.answer("show application_name").rows()).containsExactly(List.of("bi"));
    assertThat(s.answer("SHOW TRANSACTION ISOLATION LEVEL").rows()).containsExactly(List.of("read committed"));
    assertThat(s.answer("SHOW search_path").rows()).containsExactly(List.of("\"$user\", public"));
    assertThat(s.answer("select current_catalog").rows()).containsExactly(List.of("lakehouse"));
    assertThat(s.answer("SELECT current_database() AS db").columns()).containsExactly("db");
    assertThat(s.answer("BEGIN").transaction()).isEqualTo(SessionStatements.Transaction.BEGIN);
    assertThat(s.answer("commit").transaction()).isEqualTo(SessionStatements.Transaction.END);
    assertThat(s.answer("/* x */ select version()").rows().get(0).get(0).toString()).startsWith("PostgreSQL 14.0");
    assertThat(s.answer("select version() as v").columns()).containsExactly("v");
    assertThat(s.answer("show tables")).isNull();
    assertThat(s.answer("select 1")).isNull();
    assertThatThrownBy(() -> s.answer("SET spark.sql.ansi.enabled = false"))
        .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
    assertThat(PgConnection.commandTag("insert into t values (1)")).isEqualTo("INSERT 0 0");
    assertThat(PgConnection.commandTag("-- c\ndrop table t")).isEqualTo("DROP TABLE");
  }

  @Test
  void catalogQueriesApplyPgjdbcsLikeFilters() {
    CatalogQueries.Catalog catalog = new CatalogQueries.Catalog() {
      @Override
      public List<String> namespaces() {
        return List.of("lineage", "ingest");
      }

      @Override
      public List<String> tables(String namespace) {
        return namespace.equals("ingest") ? List.of("records", "rec_x", "recXx") : List.of("edges");
      }

      @Override
      public List<CatalogQueries.Column> columns(String namespace, String table) {
        return List.of(new CatalogQueries.Column("id", PgTypes.INT8, -1, true, "the id"));
      }
    };
    CatalogQueries q = new CatalogQueries(catalog);
    String tables = "SELECT current_database() AS \"TABLE_CAT\", n.nspname AS \"TABLE_SCHEM\", c.relname AS \"TABLE_NAME\","
        + " 'x' AS \"TABLE_TYPE\" FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c WHERE c.relnamespace = n.oid"
        + "  AND n.nspname LIKE 'ing%' AND c.relname LIKE 'rec\\_x'";
    assertThat(q.answer(tables).rows()).extracting(r -> r.get(2)).containsExactly("rec_x");
    assertThat(q.answer(tables.replace(" AND c.relname LIKE 'rec\\_x'", "")).rows()).extracting(r -> r.get(2))
        .containsExactly("recXx", "rec_x", "records");
    assertThat(q.answer(tables + " AND (false  OR ( c.relkind = 'v' ) )").rows()).as("views only").isEmpty();
    assertThat(q.answer("select * from pg_class")).as("not a pgjdbc metadata query").isNull();
    assertThat(q.answer("select 1")).isNull();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
