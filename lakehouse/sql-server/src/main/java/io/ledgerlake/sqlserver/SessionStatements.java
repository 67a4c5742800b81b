package io.ledgerlake.sqlserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Statements the service answers itself, without Spark, because PostgreSQL clients send them for session housekeeping
 * and Spark would refuse or misread them:
 *
 * <ul>
 *   <li>{@code SET name = value}, {@code SET name TO value}, {@code SET SESSION|LOCAL ...}, {@code SET TIME ZONE ...},
 *       {@code SET SESSION CHARACTERISTICS ...}, {@code RESET ...}, {@code DISCARD ...}: remembered per connection,
 *       never applied to Spark. A Spark setting ({@code SET spark.sql...}, a name with a dot) is refused: the Spark
 *       session is shared by every connection.
 *   <li>{@code BEGIN}, {@code START TRANSACTION}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code ABORT}: no-ops
 *       (each statement reads the newest snapshot; there is nothing to commit), sent by pgjdbc with autocommit off.
 *   <li>{@code SHOW TRANSACTION ISOLATION LEVEL} and {@code SHOW name} for the parameters below or ones set with SET.
 *       Any other SHOW (SHOW TABLES, SHOW NAMESPACES, ...) goes to Spark.
 *   <li>{@code SELECT version()}: a PostgreSQL-style version string, which some tools parse.
 * </ul>
 */
final class SessionStatements {
  static final String SERVER_VERSION = "14.0";

  /** A statement's answer: columns (text) and rows, or no columns for a command; and the CommandComplete tag. */
  record Answer(List<String> columns, List<List<Object>> rows, String tag, Transaction transaction) {}

  enum Transaction { UNCHANGED, BEGIN, END }

  private static final Pattern TX_BEGIN = Pattern.compile("(?is)\\s*(begin|start\\s+transaction)\\b.*");
  private static final Pattern TX_COMMIT = Pattern.compile("(?is)\\s*(commit|end)(\\s+(work|transaction))?\\s*");
  private static final Pattern TX_ROLLBACK = Pattern.compile("(?is)\\s*(rollback|abort)(\\s+(work|transaction))?\\s*");
  private static final Pattern SET = Pattern.compile(
      "(?is)\\s*set\\s+(?:(?:session|local)\\s+)?([a-z_][a-z0-9_.]*)\\s*(?:=|\\s+to\\s+)\\s*(.*?)\\s*");
  private static final Pattern SET_OTHER = Pattern.compile(
      "(?is)\\s*set\\s+(?:(?:session|local)\\s+)?(time\\s+zone|names|session\\s+characteristics|transaction|role|"
          + "session\\s+authorization)\\b.*");
  private static final Pattern RESET = Pattern.compile("(?is)\\s*(reset|discard)\\b\\s*(.*?)\\s*");
  private static final Pattern SHOW_ISOLATION = Pattern.compile("(?is)\\s*show\\s+transaction\\s+isolation\\s+level\\s*");
  private static final Pattern SHOW = Pattern.compile("(?is)\\s*show\\s+([a-z_][a-z0-9_]*)\\s*");
  private static final Pattern VERSION = Pattern.compile(
      "(?is)\\s*select\\s+(?:pg_catalog\\.)?version\\s*\\(\\s*\\)(?:\\s+(?:as\\s+)?([a-z_][a-z0-9_]*))?\\s*");

  /** pgjdbc's Connection.getCatalog() (and DatabaseMetaData.getSchemas()) asks for it; Spark has no current_catalog. */
  private static final Pattern CURRENT_DATABASE = Pattern.compile(
      "(?is)\\s*select\\s+(?:pg_catalog\\.)?(current_catalog|current_database\\s*\\(\\s*\\))"
          + "(?:\\s+(?:as\\s+)?([a-z_][a-z0-9_]*))?\\s*");

  private final Map<String, String> parameters = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final String sparkVersion;

  SessionStatements(String sparkVersion, Map<String, String> startupParameters) {
    this.sparkVersion = sparkVersion;
    parameters.putAll(reported());
    // Not reported at startup, but clients and BI tools commonly ask for them with SHOW.
    parameters.put("search_path", "\"$user\", public");
    parameters.put("max_identifier_length", "63");
    startupParameters.forEach((k, v) -> {
      if (!k.equalsIgnoreCase("user") && !k.equalsIgnoreCase("database") && !k.equalsIgnoreCase("options")
          && !reported().containsKey(k)) {
        parameters.put(k, v);
      }
    });
  }

  /** The parameters reported to the client at startup (ParameterStatus); clients check several of them. */
  static Map<String, String> reported() {
    Map<String, String> p = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    p.put("server_version", SERVER_VERSION);
    p.put("server_encoding", "UTF8");
    p.put("client_encoding", "UTF8");
    p.put("DateStyle", "ISO, MDY");
    p.put("TimeZone", "UTC");
    p.put("IntervalStyle", "postgres");
    p.put("integer_datetimes", "on");
    p.put("standard_conforming_strings", "on");
    p.put("is_superuser", "off");
    return p;
  }

  String parameter(String name) {
    return parameters.get(name);
  }

  /** The answer for a session statement, or null when the statement is for Spark. */
  Answer answer(String sql) {
    String s = SqlText.stripComments(sql);
    if (TX_BEGIN.matcher(s).matches()) {
      return command("BEGIN", Transaction.BEGIN);
    }
    if (TX_COMMIT.matcher(s).matches()) {
      return command("COMMIT", Transaction.END);
    }
    if (TX_ROLLBACK.matcher(s).matches()) {
      return command("ROLLBACK", Transaction.END);
    }
    Matcher m = SET.matcher(s);
    if (m.matches()) {
      String name = m.group(1);
      if (name.contains(".")) {
        throw new PgException(PgException.FEATURE_NOT_SUPPORTED, "SET " + name + " refused: the SQL service's "
            + "Spark session is shared by every connection, so Spark settings are the administrator's (ledgerlake.spark.conf.*)");
      }
      String value = m.group(2);
      if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1);
      }
      if (!reported().containsKey(name)) { // the reported ones are fixed: UTF8, ISO, UTC are what this service sends
        parameters.put(name, value);
      }
      return command("SET", Transaction.UNCHANGED);
    }
    if (SET_OTHER.matcher(s).matches()) {
      return command("SET", Transaction.UNCHANGED);
    }
    m = RESET.matcher(s);
    if (m.matches()) {
      return command(m.group(1).equalsIgnoreCase("reset") ? "RESET" : ("DISCARD " + m.group(2)).trim()
          .toUpperCase(Locale.ROOT), Transaction.UNCHANGED);
    }
    if (SHOW_ISOLATION.matcher(s).matches()) {
      return single("transaction_isolation", "read committed", "SHOW");
    }
    m = SHOW.matcher(s);
    if (m.matches()) {
      String name = m.group(1);
      if (name.equalsIgnoreCase("transaction_isolation")) {
        return single(name, "read committed", "SHOW");
      }
      String value = parameters.get(name);
      if (value != null) {
        return single(name, value, "SHOW");
      }
      return null; // SHOW TABLES, SHOW NAMESPACES, ...: Spark's
    }
    m = CURRENT_DATABASE.matcher(s);
    if (m.matches()) {
      String column = m.group(2) != null ? m.group(2)
          : m.group(1).toLowerCase(Locale.ROOT).startsWith("current_catalog") ? "current_catalog" : "current_database";
      return single(column, CatalogQueries.DATABASE, "SELECT 1");
    }
    m = VERSION.matcher(s);
    if (m.matches()) {
      return single(m.group(1) != null ? m.group(1) : "version", "PostgreSQL " + SERVER_VERSION + " (LedgerLake SQL service on Apache Spark "
          + sparkVersion + ")", "SELECT 1");
    }
    return null;
  }

  private static Answer command(String tag, Transaction tx) {
    return new Answer(null, List.of(), tag, tx);
  }

  private static Answer single(String column, String value, String tag) {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of(value));
    return new Answer(List.of(column), rows, tag, Transaction.UNCHANGED);
  }
}
