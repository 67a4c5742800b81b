package io.ledgerlake.provenance.model;

import java.util.Objects;

/**
 * A recorded contribution receipt: the soulbound token {@code tokenId} (0 for a Merkle receipt that has no token
 * yet) covering the range [offsetBps, offsetBps + shareBps) of the version's revenue.
 */
public record Receipt(
    long tokenId, long versionId, int index, String contributor, ContributorRole role, int shareBps, int offsetBps) {
  public Receipt {
    contributor = Addresses.normalize(contributor);
    Objects.requireNonNull(role, "role");
  }
}
