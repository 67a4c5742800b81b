package io.ledgerlake.sqlserver;

import java.util.ArrayList;
import java.util.List;

/**
 * Lexical work on statement text that must happen before Spark sees it: splitting a simple-protocol query string at
 * top-level semicolons, and finding and replacing {@code $n} parameter markers. Quotes ('...', "...", `...`, with
 * Spark's backslash escapes) and comments (-- and /* *&#47;) are skipped so that a ';' or '$1' inside them is left
 * alone.
 */
final class SqlText {
  private SqlText() {}

  /** The statements of a query string; blank pieces are dropped. */
  static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < sql.length()) {
      int skipped = skip(sql, i);
      if (skipped != i) {
        i = skipped;
        continue;
      }
      if (sql.charAt(i) == ';') {
        add(out, sql.substring(start, i));
        start = i + 1;
      }
      i++;
    }
    add(out, sql.substring(start));
    return out;
  }

  private static void add(List<String> out, String piece) {
    if (!stripComments(piece).isBlank()) {
      out.add(piece.strip());
    }
  }

  /** The highest {@code $n} marker in the statement (0 when there is none). */
  static int parameterCount(String sql) {
    int max = 0;
    int i = 0;
    while (i < sql.length()) {
      int skipped = skip(sql, i);
      if (skipped != i) {
        i = skipped;
        continue;
      }
      int end = markerEnd(sql, i);
      if (end > i) {
        max = Math.max(max, Integer.parseInt(sql.substring(i + 1, end)));
        i = end;
      } else {
        i++;
      }
    }
    return max;
  }

  /** The statement with each {@code $n} replaced by {@code literals.get(n - 1)}. */
  static String bind(String sql, List<String> literals) {
    StringBuilder out = new StringBuilder(sql.length() + 16 * literals.size());
    int i = 0;
    while (i < sql.length()) {
      int skipped = skip(sql, i);
      if (skipped != i) {
        out.append(sql, i, skipped);
        i = skipped;
        continue;
      }
      int end = markerEnd(sql, i);
      if (end > i) {
        int n = Integer.parseInt(sql.substring(i + 1, end));
        if (n < 1 || n > literals.size()) {
          throw new PgException(PgException.PROTOCOL_VIOLATION,
              "statement uses $" + n + " but " + literals.size() + " parameters were bound");
        }
        out.append(literals.get(n - 1));
        i = end;
      } else {
        out.append(sql.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  /** The text without comments, for recognizing statements by their words. */
  static String stripComments(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int skipped = skip(sql, i);
      if (skipped != i && (c == '-' || c == '/')) {
        out.append(' ');
      } else if (skipped != i) {
        out.append(sql, i, skipped);
      } else {
        out.append(c);
        skipped = i + 1;
      }
      i = skipped;
    }
    return out.toString();
  }

  /** End of a {@code $n} marker starting at {@code i}, or {@code i} when there is none. */
  private static int markerEnd(String sql, int i) {
    if (sql.charAt(i) != '$' || (i > 0 && Character.isJavaIdentifierPart(sql.charAt(i - 1)))) {
      return i;
    }
    int j = i + 1;
    while (j < sql.length() && Character.isDigit(sql.charAt(j)) && j - i < 6) {
      j++;
    }
    return j > i + 1 ? j : i;
  }

  /** If a quoted string, quoted identifier or comment starts at {@code i}, the index after it; else {@code i}. */
  private static int skip(String sql, int i) {
    char c = sql.charAt(i);
    if (c == '\'' || c == '"' || c == '`') {
      int j = i + 1;
      while (j < sql.length()) {
        char d = sql.charAt(j);
        if (d == '\\' && c != '`') {
          j += 2;
          continue;
        }
        if (d == c) {
          return j + 1;
        }
        j++;
      }
      return sql.length();
    }
    if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
      int nl = sql.indexOf('\n', i);
      return nl < 0 ? sql.length() : nl + 1;
    }
    if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
      int end = sql.indexOf("*/", i + 2);
      return end < 0 ? sql.length() : end + 2;
    }
    return i;
  }
}
