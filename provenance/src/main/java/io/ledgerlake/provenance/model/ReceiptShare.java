package io.ledgerlake.provenance.model;

import java.util.Objects;

/** One contributor's share of a version, in basis points (a version's shares sum to 10,000). */
public record ReceiptShare(String contributor, ContributorRole role, int shareBps) {
  public static final int TOTAL_BPS = 10_000;

  public ReceiptShare {
    contributor = Addresses.normalize(contributor);
    Objects.requireNonNull(role, "role");
    if (shareBps < 0 || shareBps > TOTAL_BPS) {
      throw new IllegalArgumentException("shareBps must be 0..10000, got " + shareBps + " for " + contributor);
    }
  }
}
