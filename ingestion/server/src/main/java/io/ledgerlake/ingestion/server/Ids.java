package io.ledgerlake.ingestion.server;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.regex.Pattern;

/** Opaque ids: a prefix, the creation time in base-36 millis (so ids sort by age), and 80 random bits. */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final Pattern SAFE = Pattern.compile("[a-z]+-[0-9a-z]{8,40}");

  private Ids() {}

  static String newId(String prefix, Instant now) {
    StringBuilder out = new StringBuilder(prefix).append('-');
    out.append(Long.toString(now.toEpochMilli(), 36));
    for (int i = 0; i < 16; i++) {
      out.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return out.toString();
  }

  /** Ids from URLs become file names: only our own shape is accepted. */
  static boolean isWellFormed(String id) {
    return id != null && SAFE.matcher(id).matches();
  }
}
