package io.ledgerlake.provenance.chain;

import io.ledgerlake.provenance.model.TxInfo;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A mined {@code Licensing.settleApiUsage}, decoded from its receipt: what the licensee was charged and how Revenue
 * credited it — {@code netWei} to the asset's latest version ({@code versionId}, its receipts), the rest
 * ({@code costWei - netWei}) as upstream royalty to its ancestor versions.
 */
public record ApiSettlement(long assetId, String licensee, long calls, BigInteger costWei, long versionId,
    BigInteger netWei, java.util.List<Royalty> royalties, TxInfo tx) {
  /** One {@code RoyaltyPaid} of the settlement: {@code amountWei} into ancestor version {@code toVersionId}'s pool. */
  public record Royalty(long toVersionId, BigInteger amountWei) {}

  public ApiSettlement {
    royalties = java.util.List.copyOf(royalties);
    Objects.requireNonNull(licensee, "licensee");
    Objects.requireNonNull(costWei, "costWei");
    Objects.requireNonNull(netWei, "netWei");
    Objects.requireNonNull(tx, "tx");
  }

  /** Paid to ancestor versions as royalty, on chain. */
  public BigInteger royaltyWei() {
    return costWei.subtract(netWei);
  }
}
