package io.ledgerlake.labeling.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The one text normalization used for exact-duplicate hashing and for MinHash shingles: Unicode NFKC, full case folding
 * (approximated as lower-upper-lower in the root locale, which maps "ß" and "ẞ" to "ss" like Unicode full folding), and every
 * run of whitespace collapsed to one ASCII space, trimmed.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  public static String normalize(String text) {
    boolean ascii = isAscii(text);
    // ASCII is NFKC-invariant and its full case fold is plain lower-casing: skip the two allocating passes.
    String folded =
        ascii
            ? text
            : Normalizer.normalize(text, Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT)
                .toUpperCase(Locale.ROOT)
                .toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(folded.length());
    boolean pendingSpace = false;
    for (int i = 0; i < folded.length(); ) {
      int cp = folded.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      out.appendCodePoint(ascii ? Character.toLowerCase(cp) : cp);
    }
    return out.toString();
  }

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@link #normalize(String)}. */
  public static String normalizedHash(String text) {
    return sha256Hex(normalize(text));
  }

  public static String sha256Hex(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
