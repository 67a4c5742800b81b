package io.ledgerlake.content.multiformats;

/** RFC 4648 base32 without padding, in the lower-case (multibase 'b') or upper-case ('B') alphabet. */
public final class Base32 {
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz234567";
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final int[] DECODE = new int[128];

  static {
    java.util.Arrays.fill(DECODE, -1);
    for (int i = 0; i < 32; i++) {
      DECODE[LOWER.charAt(i)] = i;
      DECODE[UPPER.charAt(i)] = i;
    }
  }

  private Base32() {}

  public static String encodeLower(byte[] data) {
    return encode(data, LOWER);
  }

  public static String encodeUpper(byte[] data) {
    return encode(data, UPPER);
  }

  private static String encode(byte[] data, String alphabet) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  /** Decodes either case (but not mixed case, which multibase forbids). */
  public static byte[] decode(String s) {
    boolean lower = false;
    boolean upper = false;
    byte[] out = new byte[s.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int o = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int v = c < 128 ? DECODE[c] : -1;
      if (v < 0) {
        throw new IllegalArgumentException("character '" + c + "' at position " + i + " is not base32");
      }
      lower |= Character.isLowerCase(c);
      upper |= Character.isUpperCase(c);
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[o++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if (lower && upper) {
      throw new IllegalArgumentException("mixed-case base32");
    }
    if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("base32 string has non-zero trailing bits or an impossible length");
    }
    return out;
  }
}
