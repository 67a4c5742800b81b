package io.ledgerlake.provenance.model;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** An account's licenses for one asset, and which kinds are valid now ({@code hasValidLicense}). */
public record LicenseStatus(
    long assetId,
    String account,
    Set<LicenseKind> valid,
    boolean fullAccess,
    Optional<Instant> longTermExpiresAt,
    BigInteger apiBalanceWei,
    PartnershipState partnership) {
  public LicenseStatus {
    account = Addresses.normalize(account);
    valid = Set.copyOf(valid);
    Objects.requireNonNull(longTermExpiresAt, "longTermExpiresAt");
    Objects.requireNonNull(apiBalanceWei, "apiBalanceWei");
    Objects.requireNonNull(partnership, "partnership");
  }
}
