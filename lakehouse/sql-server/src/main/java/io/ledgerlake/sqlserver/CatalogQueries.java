package io.ledgerlake.sqlserver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pg_catalog} queries of pgjdbc's {@code DatabaseMetaData} (getSchemas, getTables, getColumns, getCatalogs),
 * answered from the lakehouse catalog. The service has no {@code pg_catalog} and Spark cannot parse these statements
 * (PostgreSQL operators and casts), yet BI tools built on JDBC (and DBeaver's and Metabase's table lists, through
 * pgjdbc) list schemas, tables and columns with exactly these statements. Each is recognised by the column aliases
 * pgjdbc gives it, and its {@code LIKE} filters are applied here; the result has the columns pgjdbc reads, as text.
 * Statements of other clients that query {@code pg_catalog} are not recognised and still fail with 42P01
 * (docs/decisions/sql-service-protocol.md). Checked against pgjdbc 42.7.
 */
final class CatalogQueries {
  /** The lakehouse catalog as far as these queries need it: plain types, so that this class needs no Spark. */
  interface Catalog {
    List<String> namespaces();

    List<String> tables(String namespace);

    /** The table's columns in order; empty if it disappeared since it was listed. */
    List<Column> columns(String namespace, String table);
  }

  /** A column as PostgreSQL describes it: type OID and modifier ({@code PgTypes}), NOT NULL, comment. */
  record Column(String name, int typeOid, int typmod, boolean notNull, String comment) {
    Column {
      Objects.requireNonNull(name, "name");
    }
  }

  static final String DATABASE = "lakehouse";

  private static final Pattern NSP_LIKE = Pattern.compile("(?i)\\bn\\.nspname\\s+LIKE\\s+E?'((?:[^']|'')*)'");
  private static final Pattern PLAIN_NSP_LIKE = Pattern.compile("(?i)\\bAND\\s+nspname\\s+LIKE\\s+E?'((?:[^']|'')*)'");
  private static final Pattern REL_LIKE = Pattern.compile("(?i)\\bc\\.relname\\s+LIKE\\s+E?'((?:[^']|'')*)'");
  private static final Pattern ATT_LIKE = Pattern.compile("(?i)\\bAND\\s+attname\\s+LIKE\\s+E?'((?:[^']|'')*)'");

  private final Catalog catalog;

  CatalogQueries(Catalog catalog) {
    this.catalog = catalog;
  }

  /** The answer to a recognised catalog statement, or null for any other statement. */
  SessionStatements.Answer answer(String sql) {
    if (!sql.contains("pg_catalog.")) {
      return null;
    }
    if (sql.contains("AS \"TABLE_SCHEM\"") && sql.contains("pg_catalog.pg_class c") && sql.contains("AS \"TABLE_TYPE\"")) {
      return tables(sql);
    }
    if (sql.contains("pg_catalog.pg_attribute a") && sql.contains("AS current_database") && sql.contains("atttypid")) {
      return columns(sql);
    }
    if (sql.startsWith("SELECT nspname AS \"TABLE_SCHEM\"") && sql.contains("FROM pg_catalog.pg_namespace")) {
      return schemas(sql);
    }
    if (sql.startsWith("SELECT datname AS \"TABLE_CAT\" FROM pg_catalog.pg_database")) {
      return new SessionStatements.Answer(List.of("TABLE_CAT"), List.of(List.of(DATABASE)), "SELECT 1",
          SessionStatements.Transaction.UNCHANGED);
    }
    return null;
  }

  private SessionStatements.Answer schemas(String sql) {
    Pattern nsp = like(PLAIN_NSP_LIKE, sql);
    List<List<Object>> rows = new ArrayList<>();
    for (String ns : sorted(catalog.namespaces())) {
      if (nsp.matcher(ns).matches()) {
        rows.add(List.of(ns, DATABASE));
      }
    }
    return answer(List.of("TABLE_SCHEM", "TABLE_CATALOG"), rows);
  }

  private SessionStatements.Answer tables(String sql) {
    // Without a type filter pgjdbc adds no "AND (false ..." clause; with one, plain tables are asked for by this clause.
    boolean wantTables = !sql.contains("AND (false")
        || sql.contains("c.relkind = 'r' AND n.nspname !~ '^pg_'");
    Pattern nsp = like(NSP_LIKE, sql);
    Pattern rel = like(REL_LIKE, sql);
    List<List<Object>> rows = new ArrayList<>();
    if (wantTables) {
      for (String ns : sorted(catalog.namespaces())) {
        if (!nsp.matcher(ns).matches()) {
          continue;
        }
        for (String t : sorted(catalog.tables(ns))) {
          if (rel.matcher(t).matches()) {
            rows.add(Arrays.asList(DATABASE, ns, t, "TABLE", null, "", "", "", "", ""));
          }
        }
      }
    }
    return answer(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS", "TYPE_CAT",
        "TYPE_SCHEM", "TYPE_NAME", "SELF_REFERENCING_COL_NAME", "REF_GENERATION"), rows);
  }

  private SessionStatements.Answer columns(String sql) {
    Pattern nsp = like(NSP_LIKE, sql);
    Pattern rel = like(REL_LIKE, sql);
    Pattern att = like(ATT_LIKE, sql);
    List<List<Object>> rows = new ArrayList<>();
    for (String ns : sorted(catalog.namespaces())) {
      if (!nsp.matcher(ns).matches()) {
        continue;
      }
      for (String t : sorted(catalog.tables(ns))) {
        if (!rel.matcher(t).matches()) {
          continue;
        }
        List<Column> columns = catalog.columns(ns, t);
        for (int i = 0; i < columns.size(); i++) {
          Column c = columns.get(i);
          if (att.matcher(c.name()).matches()) {
            // the columns pgjdbc reads by name; it derives DATA_TYPE, COLUMN_SIZE and the rest from atttypid/atttypmod
            rows.add(Arrays.asList(DATABASE, ns, t, c.name(), Integer.toString(c.typeOid()), c.notNull() ? "t" : "f",
                Integer.toString(c.typmod()), "-1", "-1", Integer.toString(i + 1), null, null, null, c.comment(), "0",
                "b"));
          }
        }
      }
    }
    return answer(List.of("current_database", "nspname", "relname", "attname", "atttypid", "attnotnull", "atttypmod",
        "attlen", "typtypmod", "attnum", "attidentity", "attgenerated", "adsrc", "description", "typbasetype",
        "typtype"), rows);
  }

  private static SessionStatements.Answer answer(List<String> columns, List<List<Object>> rows) {
    return new SessionStatements.Answer(columns, rows, "SELECT " + rows.size(), SessionStatements.Transaction.UNCHANGED);
  }

  private static List<String> sorted(List<String> names) {
    return names.stream().sorted().toList();
  }

  /** The statement's LIKE pattern for that column as a regex (match everything without one). */
  static Pattern like(Pattern filter, String sql) {
    Matcher m = filter.matcher(sql);
    if (!m.find()) {
      return Pattern.compile("(?s).*");
    }
    String like = m.group(1).replace("''", "'");
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < like.length(); i++) {
      char c = like.charAt(i);
      if (c == '\\' && i + 1 < like.length()) {
        regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
      } else if (c == '%') {
        regex.append("(?s).*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
