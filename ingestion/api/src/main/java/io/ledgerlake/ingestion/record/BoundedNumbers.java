package io.ledgerlake.ingestion.record;

import java.math.BigDecimal;

/**
 * Every conversion of a contributor's number goes through here, so that its cost is bounded by the size of the
 * literal rather than by the value it denotes.
 *
 * <p>Why: a {@link BigDecimal} stores an exponent next to its digits, so the 12-byte literal {@code 1e-999999999}
 * is cheap to hold but a billion characters long in {@link BigDecimal#toPlainString()}, and
 * {@code 1e100000000} takes minutes in {@link BigDecimal#toBigIntegerExact()}. Jackson bounds the literal's length
 * (1,000 characters), not its exponent. Nothing this platform stores needs more than a double's range (about
 * 1e-324 to 1.8e308) or a long's, so a number whose decimal exponent lies outside ±{@value #MAX_EXPONENT} or that
 * has more than {@value #MAX_DIGITS} significant digits is rejected as a record-level error before any
 * exponent-sized work. See docs/decisions/ingestion-number-bounds.md.
 */
public final class BoundedNumbers {
  /** Largest magnitude of the decimal exponent accepted (a double reaches about ±324 / +308). */
  public static final int MAX_EXPONENT = 400;

  /** Most significant digits accepted: Jackson's own default limit for a number literal's length. */
  public static final int MAX_DIGITS = 1000;

  /** A decimal digit carries log2(10) ≈ 3.32 bits: larger unscaled values cannot have ≤ MAX_DIGITS digits. */
  private static final int MAX_UNSCALED_BITS = (int) Math.ceil(MAX_DIGITS * 3.3219280948873626) + 1;

  /** Longest text tried as a number: the digits plus sign, point and an exponent. */
  private static final int MAX_TEXT_CHARS = MAX_DIGITS + 16;

  /** How much of a number a message shows. */
  private static final int MAX_SHOWN_CHARS = 40;

  private BoundedNumbers() {}

  /**
   * {@code value} itself when within bounds (zero of any scale becomes {@link BigDecimal#ZERO}).
   *
   * @throws RecordRejectedException {@link RejectionCode#NUMBER_OUT_OF_RANGE} otherwise, with a bounded message
   */
  public static BigDecimal checked(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    // bitLength is O(1); precision() of a huge unscaled value would compute powers of ten.
    if (value.unscaledValue().bitLength() > MAX_UNSCALED_BITS || value.precision() > MAX_DIGITS) {
      throw new RecordRejectedException(RejectionCode.NUMBER_OUT_OF_RANGE,
          "Number " + describe(value) + " has more than " + MAX_DIGITS
              + " significant digits; send it as a string");
    }
    long exponent = exponentOf(value);
    if (exponent > MAX_EXPONENT || exponent < -MAX_EXPONENT) {
      throw new RecordRejectedException(RejectionCode.NUMBER_OUT_OF_RANGE,
          "Number " + describe(value) + " is outside the accepted range (decimal exponent within ±" + MAX_EXPONENT
              + "; a double reaches about 1.8e308); send it as a string");
    }
    return value;
  }

  /**
   * The decimal exponent of the leading digit ({@code 1.5e7} → 7), computed from precision and scale only. Only for
   * values that passed the digit bound (precision is cheap then).
   */
  static long exponentOf(BigDecimal value) {
    return (long) value.precision() - value.scale() - 1;
  }

  /**
   * Parses a text cell (CSV, a string in a textual schema field) as a number, or null if it is not one. Texts longer
   * than any accepted number are not parsed at all; a parsed number out of bounds is rejected by {@link #checked}.
   */
  public static BigDecimal parseOrNull(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty() || trimmed.length() > MAX_TEXT_CHARS) {
      return null;
    }
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(trimmed);
    } catch (NumberFormatException notANumber) {
      return null;
    }
    return checked(parsed);
  }

  /**
   * The value as a long if it is an integer in the long range, else null; never builds an exponent-sized integer.
   * {@code value} must have passed {@link #checked}.
   */
  public static Long exactLongOrNull(BigDecimal value) {
    if (value.signum() == 0) {
      return 0L;
    }
    long exponent = exponentOf(value);
    if (exponent < 0 || exponent > 18) {
      return null; // |value| < 1 and not zero, or at least 1e19 > Long.MAX_VALUE
    }
    try {
      return value.longValueExact(); // scale ≤ MAX_DIGITS + 18 here: bounded work
    } catch (ArithmeticException notAnExactLong) {
      return null;
    }
  }

  /** Whether the value has no fractional part; bounded like {@link #exactLongOrNull}. */
  public static boolean isIntegral(BigDecimal value) {
    if (value.signum() == 0 || value.scale() <= 0) {
      return true;
    }
    if (exponentOf(value) < 0) {
      return false;
    }
    return value.stripTrailingZeros().scale() <= 0;
  }

  /**
   * A short rendering for messages: never expands the exponent, and cuts long digit strings
   * ({@code 1.2345…E+100000000}).
   */
  public static String describe(BigDecimal value) {
    if (value.unscaledValue().bitLength() > MAX_UNSCALED_BITS) {
      return "of about " + (long) (value.unscaledValue().bitLength() / 3.3219280948873626) + " digits";
    }
    String scientific = value.toString(); // exponent notation whenever the plain form would be long
    return shorten(scientific);
  }

  /** {@code text} cut to a length a message can carry, marking the cut. */
  public static String shorten(String text) {
    if (text.length() <= MAX_SHOWN_CHARS) {
      return text;
    }
    int e = Math.max(text.lastIndexOf('E'), text.lastIndexOf('e'));
    String tail = e > 0 && text.length() - e <= 16 ? text.substring(e) : "";
    return text.substring(0, MAX_SHOWN_CHARS - tail.length() - 1) + "…" + tail;
  }
}
