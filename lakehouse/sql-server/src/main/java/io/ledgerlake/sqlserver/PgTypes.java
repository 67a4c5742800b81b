package io.ledgerlake.sqlserver;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.types.VarcharType;

/**
 * PostgreSQL type OIDs for Spark types, and the value encodings of the wire protocol: text for every type, binary for
 * the types pgjdbc asks binary for. Nested values (arrays, maps, structs) travel as JSON text, which every client can
 * show and parse, rather than PostgreSQL's array syntax that only fits arrays.
 */
final class PgTypes {
  static final int BOOL = 16;
  static final int BYTEA = 17;
  static final int INT8 = 20;
  static final int INT2 = 21;
  static final int INT4 = 23;
  static final int TEXT = 25;
  static final int FLOAT4 = 700;
  static final int FLOAT8 = 701;
  static final int UNKNOWN = 705;
  static final int VARCHAR = 1043;
  static final int BPCHAR = 1042;
  static final int DATE = 1082;
  static final int TIMESTAMP = 1114;
  static final int TIMESTAMPTZ = 1184;
  static final int NUMERIC = 1700;

  /** PostgreSQL's epoch for binary dates and timestamps. */
  private static final LocalDate PG_EPOCH = LocalDate.of(2000, 1, 1);

  private static final Instant PG_EPOCH_INSTANT = PG_EPOCH.atStartOfDay().toInstant(ZoneOffset.UTC);

  /** PostgreSQL's text form: seconds always, fraction only when non-zero (ISO DateStyle). */
  private static final DateTimeFormatter TIMESTAMP_TEXT = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
      .toFormatter(Locale.ROOT);

  private PgTypes() {}

  /** PostgreSQL's type modifier: numeric's precision and scale, varchar's length (each + 4, as pg_attribute has it). */
  static int typmod(DataType type) {
    if (type instanceof DecimalType d) {
      return ((d.precision() << 16) | d.scale()) + 4;
    } else if (type instanceof VarcharType v) {
      return v.length() + 4;
    } else if (type instanceof CharType c) {
      return c.length() + 4;
    }
    return -1;
  }

  static int oid(DataType type) {
    if (type instanceof BooleanType) {
      return BOOL;
    } else if (type instanceof ByteType || type instanceof ShortType) {
      return INT2;
    } else if (type instanceof IntegerType) {
      return INT4;
    } else if (type instanceof LongType) {
      return INT8;
    } else if (type instanceof FloatType) {
      return FLOAT4;
    } else if (type instanceof DoubleType) {
      return FLOAT8;
    } else if (type instanceof DecimalType) {
      return NUMERIC;
    } else if (type instanceof VarcharType || type instanceof CharType) {
      return VARCHAR;
    } else if (type instanceof StringType) {
      return TEXT;
    } else if (type instanceof BinaryType) {
      return BYTEA;
    } else if (type instanceof DateType) {
      return DATE;
    } else if (type instanceof TimestampType) {
      return TIMESTAMPTZ; // an instant: Spark's TIMESTAMP is "with local time zone", the session zone being UTC
    } else if (type instanceof TimestampNTZType) {
      return TIMESTAMP;
    }
    return TEXT; // arrays, maps, structs (as JSON), intervals, variants, NULL type
  }

  /** The pg_type.typlen clients expect in RowDescription: the fixed width, or -1 for variable length. */
  static short typeLength(int oid) {
    return switch (oid) {
      case BOOL -> 1;
      case INT2 -> 2;
      case INT4, FLOAT4, DATE -> 4;
      case INT8, FLOAT8, TIMESTAMP, TIMESTAMPTZ -> 8;
      default -> -1;
    };
  }

  /** Text format of a value as PostgreSQL prints it (near enough for clients to parse). */
  static String text(Object v) {
    if (v instanceof Boolean b) {
      return b ? "t" : "f";
    } else if (v instanceof Double d) {
      return floatText(d, Double.toString(d));
    } else if (v instanceof Float f) {
      return floatText(f, Float.toString(f));
    } else if (v instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (v instanceof Instant i) {
      return TIMESTAMP_TEXT.format(i.atOffset(ZoneOffset.UTC)) + "+00";
    } else if (v instanceof LocalDateTime t) {
      return TIMESTAMP_TEXT.format(t);
    } else if (v instanceof byte[] b) {
      return "\\x" + HexFormat.of().formatHex(b);
    } else if (v instanceof List<?> || v instanceof Map<?, ?>) {
      StringBuilder out = new StringBuilder();
      json(v, out);
      return out.toString();
    }
    return String.valueOf(v);
  }

  private static String floatText(double d, String javaText) {
    if (Double.isNaN(d)) {
      return "NaN";
    } else if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    // PostgreSQL prints 2 rather than Java's 2.0; exponents as 1e+20 rather than 1.0E20.
    String s = javaText.endsWith(".0") ? javaText.substring(0, javaText.length() - 2) : javaText;
    int e = s.indexOf('E');
    if (e >= 0) {
      String mantissa = s.substring(0, e);
      if (mantissa.endsWith(".0")) {
        mantissa = mantissa.substring(0, mantissa.length() - 2);
      }
      String exp = s.substring(e + 1);
      s = mantissa + "e" + (exp.startsWith("-") ? exp : "+" + exp);
    }
    return s;
  }

  /** Binary format (the types pgjdbc reads binary); null when this service has no binary form for the type. */
  static byte[] binary(int oid, Object v) {
    switch (oid) {
      case BOOL:
        return new byte[] {(byte) (((Boolean) v) ? 1 : 0)};
      case INT2:
        return ByteBuffer.allocate(2).putShort(((Number) v).shortValue()).array();
      case INT4:
        return ByteBuffer.allocate(4).putInt(((Number) v).intValue()).array();
      case INT8:
        return ByteBuffer.allocate(8).putLong(((Number) v).longValue()).array();
      case FLOAT4:
        return ByteBuffer.allocate(4).putFloat(((Number) v).floatValue()).array();
      case FLOAT8:
        return ByteBuffer.allocate(8).putDouble(((Number) v).doubleValue()).array();
      case BYTEA:
        return v instanceof byte[] b ? b : text(v).getBytes(StandardCharsets.UTF_8);
      case DATE:
        return ByteBuffer.allocate(4).putInt((int) ChronoUnit.DAYS.between(PG_EPOCH, (LocalDate) v)).array();
      case TIMESTAMPTZ:
        return ByteBuffer.allocate(8).putLong(ChronoUnit.MICROS.between(PG_EPOCH_INSTANT, (Instant) v)).array();
      case TIMESTAMP:
        return ByteBuffer.allocate(8)
            .putLong(ChronoUnit.MICROS.between(PG_EPOCH.atStartOfDay(), (LocalDateTime) v)).array();
      case NUMERIC:
        return numeric((BigDecimal) v);
      case TEXT:
      case VARCHAR:
        return text(v).getBytes(StandardCharsets.UTF_8);
      default:
        return null;
    }
  }

  /** Whether {@link #binary} can encode this type, so Bind can refuse a binary result it cannot send. */
  static boolean hasBinary(int oid) {
    return switch (oid) {
      case BOOL, INT2, INT4, INT8, FLOAT4, FLOAT8, BYTEA, DATE, TIMESTAMPTZ, TIMESTAMP, NUMERIC, TEXT, VARCHAR -> true;
      default -> false;
    };
  }

  /** NUMERIC's binary form: base-10000 digits, the weight of the first, sign and display scale. */
  static byte[] numeric(BigDecimal value) {
    int scale = Math.max(value.scale(), 0);
    BigInteger unscaled = value.setScale(scale).unscaledValue();
    boolean negative = unscaled.signum() < 0;
    // Pad the fraction to a multiple of 4 digits so that base-10000 groups align with the decimal point.
    int fracGroups = (scale + 3) / 4;
    BigInteger aligned = unscaled.abs().multiply(BigInteger.TEN.pow(fracGroups * 4 - scale));
    BigInteger tenThousand = BigInteger.valueOf(10_000);
    java.util.ArrayDeque<Short> groups = new java.util.ArrayDeque<>();
    while (aligned.signum() > 0) {
      BigInteger[] qr = aligned.divideAndRemainder(tenThousand);
      groups.addFirst(qr[1].shortValue());
      aligned = qr[0];
    }
    int weight = groups.size() - fracGroups - 1;
    // Leading and trailing zero groups carry no information; PostgreSQL strips them.
    while (!groups.isEmpty() && groups.peekLast() == 0) {
      groups.removeLast();
    }
    while (!groups.isEmpty() && groups.peekFirst() == 0) {
      groups.removeFirst();
      weight--;
    }
    ByteBuffer out = ByteBuffer.allocate(8 + 2 * groups.size());
    out.putShort((short) groups.size());
    out.putShort((short) (groups.isEmpty() ? 0 : weight));
    out.putShort((short) (negative ? 0x4000 : 0));
    out.putShort((short) scale);
    groups.forEach(out::putShort);
    return out.array();
  }

  /**
   * A bound parameter as a Spark SQL literal. Parameters are inlined rather than passed to Spark's parameter API so
   * that the read-only check and the schema description see the statement exactly as it runs. Numbers are re-parsed
   * and strings escaped, so a value cannot end its literal and inject SQL.
   */
  static String literal(int oid, byte[] value, boolean binaryFormat) {
    if (value == null) {
      return "NULL";
    }
    if (binaryFormat) {
      ByteBuffer b = ByteBuffer.wrap(value);
      return switch (oid) {
        case BOOL -> value[0] != 0 ? "TRUE" : "FALSE";
        case INT2 -> "CAST(" + b.getShort() + " AS SMALLINT)";
        case INT4 -> Integer.toString(b.getInt());
        case INT8 -> b.getLong() + "L";
        case FLOAT4 -> doubleLiteral(b.getFloat(), "FLOAT");
        case FLOAT8 -> doubleLiteral(b.getDouble(), "DOUBLE");
        case BYTEA -> "X'" + HexFormat.of().formatHex(value) + "'";
        case TEXT, VARCHAR, BPCHAR, UNKNOWN, 0 -> quote(new String(value, StandardCharsets.UTF_8));
        default -> throw new PgException(PgException.FEATURE_NOT_SUPPORTED,
            "binary parameters of type oid " + oid + " are not supported; send them as text");
      };
    }
    String text = new String(value, StandardCharsets.UTF_8);
    try {
      return switch (oid) {
        case BOOL -> bool(text) ? "TRUE" : "FALSE";
        case INT2 -> "CAST(" + Short.parseShort(text.trim()) + " AS SMALLINT)";
        case INT4 -> Integer.toString(Integer.parseInt(text.trim()));
        case INT8 -> Long.parseLong(text.trim()) + "L";
        case FLOAT4 -> doubleLiteral(Double.parseDouble(text.trim()), "FLOAT");
        case FLOAT8 -> doubleLiteral(Double.parseDouble(text.trim()), "DOUBLE");
        case NUMERIC -> "CAST('" + new BigDecimal(text.trim()).toPlainString() + "' AS DECIMAL(38, 18))";
        case DATE -> "DATE " + quote(text);
        case TIMESTAMP -> "TIMESTAMP_NTZ " + quote(text);
        case TIMESTAMPTZ -> "TIMESTAMP " + quote(text);
        case BYTEA -> "X'" + (text.startsWith("\\x") ? HexFormat.of().formatHex(HexFormat.of().parseHex(text.substring(2))) : HexFormat.of().formatHex(value)) + "'";
        default -> quote(text); // text, varchar, unspecified: Spark casts a string where the context needs another type
      };
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw new PgException(PgException.INVALID_TEXT_REPRESENTATION,
          "invalid input for parameter of type oid " + oid + ": \"" + text + "\"");
    }
  }

  private static boolean bool(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "t", "true", "1", "y", "yes", "on" -> true;
      case "f", "false", "0", "n", "no", "off" -> false;
      default -> throw new IllegalArgumentException(text);
    };
  }

  private static String doubleLiteral(double d, String type) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "CAST('" + (Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity") + "' AS " + type + ")";
    }
    return "CAST(" + Double.toString(d) + "D AS " + type + ")";
  }

  /** A Spark string literal: Spark reads backslash escapes in strings (and {@code ''} would concatenate). */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('\'').toString();
  }

  private static void json(Object v, StringBuilder out) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        jsonString(String.valueOf(e.getKey() instanceof String s ? s : text(e.getKey())), out);
        out.append(':');
        json(e.getValue(), out);
      }
      out.append('}');
    } else if (v instanceof List<?> l) {
      out.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        json(l.get(i), out);
      }
      out.append(']');
    } else if (v instanceof Boolean b) {
      out.append(b);
    } else if (v instanceof Number n && !(v instanceof Double d && (d.isNaN() || d.isInfinite()))
        && !(v instanceof Float f && (f.isNaN() || f.isInfinite()))) {
      out.append(v instanceof BigDecimal d ? d.toPlainString() : text(n));
    } else {
      jsonString(text(v), out);
    }
  }

  private static void jsonString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
