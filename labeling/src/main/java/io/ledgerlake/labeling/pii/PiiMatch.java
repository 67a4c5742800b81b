package io.ledgerlake.labeling.pii;

import java.util.Objects;

/**
 * One detected span {@code [start, end)} of the original text.
 *
 * @param score confidence in (0, 1]: 1.0 when a checksum or validator confirmed it (Luhn, mod-97, BIP-39 checksum,
 *     libphonenumber validity), lower for format-only matches
 */
public record PiiMatch(PiiType type, int start, int end, double score) {
  public PiiMatch {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad PII span [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  boolean overlaps(PiiMatch o) {
    return start < o.end && o.start < end;
  }
}
