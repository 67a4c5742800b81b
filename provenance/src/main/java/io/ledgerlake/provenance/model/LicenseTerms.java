package io.ledgerlake.provenance.model;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * What an asset owner offers for one license kind. {@code priceWei}: one-time price (full access, long-term),
 * price per call (API) or fee escrowed with a request (partnership). {@code duration}: validity of a long-term
 * license (required) or of an approved partnership ({@link Duration#ZERO} = no expiry).
 */
public record LicenseTerms(
    LicenseKind kind, boolean enabled, BigInteger priceWei, Duration duration, String termsCid) {
  public LicenseTerms {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(priceWei, "priceWei");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(termsCid, "termsCid");
    if (priceWei.signum() < 0) {
      throw new IllegalArgumentException("priceWei must not be negative: " + priceWei);
    }
  }

  public static LicenseTerms offered(LicenseKind kind, BigInteger priceWei, Duration duration, String termsCid) {
    return new LicenseTerms(kind, true, priceWei, duration, termsCid);
  }
}
