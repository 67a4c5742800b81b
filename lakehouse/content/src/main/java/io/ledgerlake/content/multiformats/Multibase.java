package io.ledgerlake.content.multiformats;

/** Multibase: a one-character prefix naming the base. We write 'b' and 'z' and also read 'B' and 'f'. */
public final class Multibase {
  public static final char BASE32_LOWER = 'b';
  public static final char BASE32_UPPER = 'B';
  public static final char BASE58_BTC = 'z';
  public static final char BASE16_LOWER = 'f';

  private Multibase() {}

  public static String encode(char base, byte[] data) {
    switch (base) {
      case BASE32_LOWER:
        return BASE32_LOWER + Base32.encodeLower(data);
      case BASE32_UPPER:
        return BASE32_UPPER + Base32.encodeUpper(data);
      case BASE58_BTC:
        return BASE58_BTC + Base58.encode(data);
      case BASE16_LOWER:
        return BASE16_LOWER + Base16.encode(data);
      default:
        throw new IllegalArgumentException("unsupported multibase prefix '" + base + "' (supported: b, B, z, f)");
    }
  }

  /** @throws IllegalArgumentException for an unknown prefix or invalid digits */
  public static byte[] decode(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty multibase string");
    }
    String body = s.substring(1);
    switch (s.charAt(0)) {
      case BASE32_LOWER:
        if (!body.equals(body.toLowerCase(java.util.Locale.ROOT))) {
          throw new IllegalArgumentException("multibase 'b' requires lower-case base32");
        }
        return Base32.decode(body);
      case BASE32_UPPER:
        if (!body.equals(body.toUpperCase(java.util.Locale.ROOT))) {
          throw new IllegalArgumentException("multibase 'B' requires upper-case base32");
        }
        return Base32.decode(body);
      case BASE58_BTC:
        return Base58.decode(body);
      case BASE16_LOWER:
        return Base16.decode(body);
      default:
        throw new IllegalArgumentException("unsupported multibase prefix '" + s.charAt(0) + "' (supported: b, B, z, f)");
    }
  }
}
