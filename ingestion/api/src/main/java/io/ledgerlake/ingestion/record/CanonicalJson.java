package io.ledgerlake.ingestion.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): object members sorted by UTF-16 code units, no whitespace, numbers in
 * the ECMAScript shortest round-trip form, strings with the minimal JSON escapes, UTF-8 output. Identical records
 * give identical bytes, which is what record CIDs are computed over.
 *
 * <p>One deliberate strictness beyond RFC 8785: JCS models every number as an IEEE-754 double, so a literal such as
 * {@code 12345678901234567890} would silently become {@code 12345678901234567000}. We refuse to alter data silently:
 * a number whose canonical form is not numerically equal to the literal is rejected with
 * {@link RejectionCode#NUMBER_NOT_REPRESENTABLE} (send it as a string instead). See
 * docs/decisions/ingestion-canonical-json.md.
 */
public final class CanonicalJson {
  private static final MathContext[] PRECISIONS = new MathContext[18];

  static {
    for (int i = 1; i < PRECISIONS.length; i++) {
      PRECISIONS[i] = new MathContext(i, RoundingMode.HALF_EVEN);
    }
  }

  private CanonicalJson() {}

  public static byte[] canonicalBytes(JsonNode value) {
    return canonicalBytes(value, 128);
  }

  /**
   * @param expectedChars a guess at the canonical form's length (e.g. the previous record's): growing the buffer from
   *     a small default copied each 1 KB record four times
   */
  public static byte[] canonicalBytes(JsonNode value, int expectedChars) {
    return canonicalString(value, expectedChars).getBytes(StandardCharsets.UTF_8);
  }

  public static String canonicalString(JsonNode value) {
    return canonicalString(value, 128);
  }

  private static String canonicalString(JsonNode value, int expectedChars) {
    StringBuilder out = new StringBuilder(Math.max(16, Math.min(expectedChars, 1 << 20)));
    write(value, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out);
      case ARRAY -> {
        out.append('[');
        boolean first = true;
        for (JsonNode element : node) {
          if (!first) {
            out.append(',');
          }
          first = false;
          write(element, out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> out.append(canonicalNumber(node));
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      default -> throw new RecordRejectedException(RejectionCode.MALFORMED_JSON,
          "Value of type " + node.getNodeType() + " has no JSON form; only JSON values can be canonicalized");
    }
  }

  private static void writeObject(JsonNode node, StringBuilder out) {
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      members.add(it.next());
    }
    // String.compareTo compares UTF-16 code units, exactly the order RFC 8785 section 3.2.3 prescribes.
    members.sort(Map.Entry.comparingByKey());
    out.append('{');
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      writeString(members.get(i).getKey(), out);
      out.append(':');
      write(members.get(i).getValue(), out);
    }
    out.append('}');
  }

  static void writeString(String value, StringBuilder out) {
    out.append('"');
    int runStart = 0;
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue; // copied in bulk with the rest of the run
      }
      out.append(value, runStart, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
          } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else {
            // A lone surrogate has no UTF-8 encoding; JCS requires valid Unicode.
            throw new RecordRejectedException(RejectionCode.INVALID_UTF8,
                "String contains a lone UTF-16 surrogate \\u" + Integer.toHexString(c)
                    + " at index " + i + "; fix the \\u escape so it encodes a valid code point");
          }
        }
      }
      runStart = i + 1;
    }
    out.append(value, runStart, n);
    out.append('"');
  }

  private static String canonicalNumber(JsonNode node) {
    if ((node.isInt() || node.isLong()) && Math.abs(node.longValue()) <= (1L << 53)) {
      return Long.toString(node.longValue()); // exactly representable: its own canonical form
    }
    // Bounded first: every step below costs no more than the literal's digits (see BoundedNumbers).
    BigDecimal literal = BoundedNumbers.checked(node.decimalValue());
    double d = literal.doubleValue();
    if (Double.isInfinite(d)) {
      throw new RecordRejectedException(RejectionCode.NUMBER_NOT_REPRESENTABLE,
          "Number " + BoundedNumbers.describe(literal) + " is outside the IEEE-754 double range; send it as a string");
    }
    String canonical = formatDouble(d);
    if (literal.compareTo(new BigDecimal(canonical)) != 0) {
      throw new RecordRejectedException(RejectionCode.NUMBER_NOT_REPRESENTABLE,
          "Number " + BoundedNumbers.describe(literal) + " would change to " + canonical
              + " under RFC 8785 canonicalization (more precision than an IEEE-754 double); send it as a string");
    }
    return canonical;
  }

  /** ECMAScript {@code Number.prototype.toString} for finite doubles (RFC 8785 section 3.2.2.3). */
  public static String formatDouble(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("NaN and Infinity have no JSON form: " + d);
    }
    if (d == 0) {
      return "0"; // also -0
    }
    if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
      // Fast path for the common integer case; every such value is its own shortest form.
      return Long.toString((long) d);
    }
    return layout(d, shortest(Math.abs(d)));
  }

  /** Same result as {@link #formatDouble} using only the exact search; the fast path is tested against it. */
  static String formatDoubleReference(double d) {
    if (d == 0) {
      return "0";
    }
    return layout(d, shortestRoundTrip(Math.abs(d)).stripTrailingZeros());
  }

  /** ECMAScript number layout of {@code shortest} (positive) with the sign of {@code d}. */
  private static String layout(double d, BigDecimal shortest) {
    String digits = shortest.unscaledValue().abs().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // the value is 0.digits * 10^n
    StringBuilder out = new StringBuilder(24);
    if (d < 0) {
      out.append('-');
    }
    if (k <= n && n <= 21) {
      out.append(digits);
      out.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int exponent = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
    }
    return out.toString();
  }

  /**
   * Fast path for the common case: start from Double.toString (round-trips, but on JDK 17 is not always shortest),
   * then shorten while the neighbouring decimals with one digit less still round-trip (if a shorter decimal
   * round-trips at all, one of those two does). With at most 15 significant digits at most one decimal of that length
   * round-trips among normal doubles (their spacing exceeds a double's), so it is also the closest; 16-17 digits and
   * subnormals take the exact search.
   */
  private static BigDecimal shortest(double positive) {
    if (positive < Double.MIN_NORMAL) {
      // Subnormals have fewer significant bits, so several short decimals can round-trip: search exactly.
      return shortestRoundTrip(positive);
    }
    BigDecimal candidate = new BigDecimal(Double.toString(positive)).stripTrailingZeros();
    int p = candidate.precision();
    while (p > 1) {
      BigDecimal down = candidate.round(new MathContext(p - 1, RoundingMode.DOWN));
      BigDecimal up = candidate.round(new MathContext(p - 1, RoundingMode.UP));
      if (down.doubleValue() == positive) {
        candidate = down.stripTrailingZeros();
      } else if (up.doubleValue() == positive) {
        candidate = up.stripTrailingZeros();
      } else {
        break;
      }
      p = candidate.precision();
    }
    return p <= 15 ? candidate : shortestRoundTrip(positive);
  }

  /**
   * The decimal with the fewest significant digits that parses back to {@code d}, closest to d among those. Rounding
   * the exact binary value to p digits gives the closest p-digit decimal; if no p-digit decimal round-trips, no shorter
   * one does either, so searching upwards from 1 finds the shortest. (JDK 17's Double.toString is not always shortest.)
   */
  private static BigDecimal shortestRoundTrip(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p <= 17; p++) {
      BigDecimal candidate = exact.round(PRECISIONS[p]);
      if (candidate.doubleValue() == d) {
        return candidate.stripTrailingZeros();
      }
    }
    throw new IllegalStateException("17 significant digits always round-trip a double, but not for " + d);
  }
}
