package io.ledgerlake.provenance.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An epoch's usage payout as {@code Revenue.usagePayouts} holds it: the committed root (0x-hex; all zeros when none
 * was committed), the funded total, what has been claimed, and the number of leaves.
 */
public record UsagePayoutState(long epoch, String rootHex, BigInteger fundedWei, BigInteger claimedWei, long leaves) {
  public UsagePayoutState {
    Objects.requireNonNull(rootHex, "rootHex");
    Objects.requireNonNull(fundedWei, "fundedWei");
    Objects.requireNonNull(claimedWei, "claimedWei");
  }

  public boolean committed() {
    return !rootHex.equals("0x" + "0".repeat(64));
  }

  /** Funded and not claimed yet: stays claimable by the leaves that have not claimed. */
  public BigInteger unclaimedWei() {
    return fundedWei.subtract(claimedWei);
  }
}
