package io.ledgerlake.cli;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.spark.QueryResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** {@code ledgerlake sql} through a SQL service ({@code ledgerlake sql-server}) with the PostgreSQL JDBC driver. */
final class SqlServiceClient {
  /** SQLSTATE classes that are the caller's to fix (syntax, access, limits, cancel, login). */
  private static final Set<String> USER_CLASSES = Set.of("22", "28", "42", "54", "57", "0A");

  record Credentials(String user, String password) {}

  private SqlServiceClient() {}

  /** Where a client reaches a service bound to {@code bind}: a wildcard bind is reached on loopback. */
  static String connectHost(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.isBlank() ? "127.0.0.1" : bind;
  }

  /** Whether something accepts TCP connections there within a short time (the service is running). */
  static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code postgresql://host:port[/db]} (also with {@code jdbc:} or as {@code postgres://}) as a pgjdbc URL. */
  static String jdbcUrl(String url) {
    String u = url.strip();
    if (u.startsWith("jdbc:")) {
      u = u.substring(5);
    }
    if (u.startsWith("postgres://")) {
      u = "postgresql://" + u.substring("postgres://".length());
    }
    if (!u.startsWith("postgresql://")) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "--url %s is not a postgresql://HOST:PORT URL", url);
    }
    String rest = u.substring("postgresql://".length());
    if (!rest.contains("/")) {
      u = u + "/lakehouse";
    }
    return "jdbc:" + u;
  }

  static QueryResult query(String url, Credentials credentials, String sql, int maxRows) {
    Properties p = new Properties();
    p.setProperty("user", credentials.user());
    p.setProperty("password", credentials.password());
    p.setProperty("ApplicationName", "ledgerlake sql");
    p.setProperty("connectTimeout", "10");
    try (Connection c = new org.postgresql.Driver().connect(jdbcUrl(url), p); Statement s = c.createStatement()) {
      s.setMaxRows(maxRows + 1); // one more than printed, to tell the user the output is cut
      boolean hasRows = s.execute(sql);
      if (!hasRows) {
        return new QueryResult(List.of(), List.of(), false);
      }
      try (ResultSet rs = s.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
          if (rows.size() == maxRows) {
            truncated = true;
            break;
          }
          List<Object> row = new ArrayList<>(columns.size());
          for (int i = 1; i <= columns.size(); i++) {
            row.add(value(rs, md, i));
          }
          rows.add(row);
        }
        return new QueryResult(columns, rows, truncated);
      }
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.startsWith("08")) {
        throw new LakehouseException(ErrorCategory.EXTERNAL, e, "cannot reach the SQL service at %s: %s", url,
            e.getMessage());
      }
      ErrorCategory category = state.length() >= 2 && USER_CLASSES.contains(state.substring(0, 2))
          ? ErrorCategory.USER_ERROR : ErrorCategory.EXTERNAL;
      throw new LakehouseException(category, e, "%s (SQLSTATE %s)", firstLine(e.getMessage()), state);
    }
  }

  /** The same plain Java values the local session gives (QueryResult), so output formats do not change. */
  private static Object value(ResultSet rs, ResultSetMetaData md, int i) throws SQLException {
    String typeName = md.getColumnTypeName(i);
    Object v;
    if ("timestamptz".equals(typeName)) {
      OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
      v = t == null ? null : t.toInstant();
    } else if ("timestamp".equals(typeName)) {
      v = rs.getObject(i, java.time.LocalDateTime.class);
    } else if (md.getColumnType(i) == Types.DATE) {
      v = rs.getObject(i, java.time.LocalDate.class);
    } else if ("int2".equals(typeName)) {
      Object n = rs.getObject(i);
      v = n == null ? null : ((Number) n).shortValue();
    } else {
      v = rs.getObject(i);
    }
    return v;
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message.strip();
    return m.lines().findFirst().orElse(m);
  }
}
