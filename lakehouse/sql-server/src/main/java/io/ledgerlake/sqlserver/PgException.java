package io.ledgerlake.sqlserver;

import io.ledgerlake.common.Categorized;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.Locale;
import java.util.Set;

/**
 * An error to send to the client as ErrorResponse, with its SQLSTATE. {@link #of} maps the lakehouse's errors: Spark's
 * own error conditions already carry PostgreSQL-style SQLSTATEs (TABLE_OR_VIEW_NOT_FOUND is 42P01,
 * PARSE_SYNTAX_ERROR 42601), so those are passed through.
 */
final class PgException extends RuntimeException implements Categorized {
  static final String SYNTAX_ERROR = "42601";
  static final String UNDEFINED_TABLE = "42P01";
  static final String INSUFFICIENT_PRIVILEGE = "42501";
  static final String QUERY_CANCELED = "57014";
  static final String INVALID_PASSWORD = "28P01";
  static final String PROTOCOL_VIOLATION = "08P01";
  static final String FEATURE_NOT_SUPPORTED = "0A000";
  static final String PROGRAM_LIMIT_EXCEEDED = "54000";
  static final String TOO_MANY_CONNECTIONS = "53300";
  static final String INVALID_TEXT_REPRESENTATION = "22P02";
  static final String INVALID_STATEMENT_NAME = "26000";
  static final String INVALID_CURSOR_NAME = "34000";
  static final String SYNTAX_OR_ACCESS = "42000";
  static final String EXTERNAL_ERROR = "58000";
  static final String INTERNAL_ERROR = "XX000";

  /** Classes of SQLSTATE that mean the client's statement is at fault. */
  private static final Set<String> USER_CLASSES = Set.of("22", "26", "28", "34", "42", "54", "57", "0A", "08");

  private final String sqlState;

  PgException(String sqlState, String message) {
    super(message);
    this.sqlState = sqlState;
  }

  PgException(String sqlState, String message, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  String sqlState() {
    return sqlState;
  }

  @Override
  public ErrorCategory errorCategory() {
    if (USER_CLASSES.contains(sqlState.substring(0, 2))) {
      return ErrorCategory.USER_ERROR;
    }
    return sqlState.startsWith("XX") ? ErrorCategory.INTERNAL : ErrorCategory.EXTERNAL;
  }

  /** The SQLSTATE and message for any failure of a statement. */
  static PgException of(Throwable failure) {
    if (failure instanceof PgException p) {
      return p;
    }
    if (failure instanceof java.nio.BufferUnderflowException) {
      // A message body shorter than its fields say (Parse, Bind, ... read with ByteBuffer): the client's bug.
      return new PgException(PROTOCOL_VIOLATION, "malformed message: its body ends before all its fields were read",
          failure);
    }
    String message = String.valueOf(failure.getMessage());
    if (failure instanceof LakehouseException l) {
      // ReadOnlySql's refusal: the one USER_ERROR that is about permission rather than the statement.
      if (message.startsWith("refused:")) {
        return new PgException(INSUFFICIENT_PRIVILEGE, message.replace("ledgerlake sql is read-only", "the SQL service is read-only")
            .replace("--allow-writes or ledgerlake.sql.allow-writes=true", SqlServiceOptions.ALLOW_WRITES + "=true"), failure);
      }
      String state = sparkState(failure);
      if (state != null) {
        return new PgException(state, message, failure);
      }
      return new PgException(switch (l.category()) {
        case USER_ERROR -> SYNTAX_OR_ACCESS;
        case EXTERNAL -> EXTERNAL_ERROR;
        case INTERNAL -> INTERNAL_ERROR;
      }, message, failure);
    }
    String state = sparkState(failure);
    return new PgException(state != null ? state : INTERNAL_ERROR, message, failure);
  }

  /** The SQLSTATE of the first Spark error in the cause chain, if it has a well-formed one. */
  private static String sparkState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.apache.spark.SparkThrowable s) {
        String state = s.getSqlState();
        if (state != null && state.length() == 5 && state.toUpperCase(Locale.ROOT).equals(state)) {
          return state;
        }
      }
    }
    return null;
  }
}
