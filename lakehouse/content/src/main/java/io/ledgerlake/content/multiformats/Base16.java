package io.ledgerlake.content.multiformats;

/** Lower-case hexadecimal (multibase 'f'). */
public final class Base16 {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Base16() {}

  public static String encode(byte[] data) {
    char[] out = new char[data.length * 2];
    for (int i = 0; i < data.length; i++) {
      out[2 * i] = HEX[(data[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[data[i] & 0xF];
    }
    return new String(out);
  }

  public static byte[] decode(String s) {
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits");
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("invalid hex digit near position " + (2 * i));
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }
}
