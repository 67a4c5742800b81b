package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.merkle.UsagePayoutTree;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Usage payouts on a real anvil (Revenue.commitUsagePayout / claimUsagePayout): a root over 10,000 leaves, every
 * proof checked by the contract itself (eth_call of verifyUsagePayout), a sample actually claimed; replayed, forged
 * and cross-epoch claims revert; unclaimed amounts stay claimable.
 */
class UsagePayoutsITCase extends AnvilTestBase {
  static final int LEAVES = 10_000;
  static final long EPOCH = 1_767_225_600L; // 2026-01-01T00:00Z

  static Map<String, BigInteger> owed(int n, long seed) {
    Random random = new Random(seed);
    Map<String, BigInteger> owed = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      owed.put(String.format("0x%040x", 0x7000_0000L + i), BigInteger.valueOf(1 + random.nextInt(1_000_000_000)));
    }
    return owed;
  }

  @Test
  void tenThousandLeavesVerifyOnChainAndEachPaysOnce() {
    ProvenanceClient platform = client(0); // the deployer: Revenue's owner
    UsagePayoutTree tree = UsagePayoutTree.build(EPOCH, owed(LEAVES, 15));
    assertThat(tree.size()).isEqualTo(LEAVES);
    BigInteger balanceBefore = platform.balanceOf(platform.account());
    var tx = platform.commitUsagePayout(tree, p -> { });
    UsagePayoutState state = platform.usagePayout(EPOCH);
    assertThat(state.committed()).isTrue();
    assertThat(state.rootHex()).isEqualTo(tree.rootHex());
    assertThat(state.fundedWei()).isEqualTo(tree.total());
    assertThat(state.leaves()).isEqualTo(LEAVES);
    assertThat(platform.balanceOf(platform.account())).isLessThan(balanceBefore.subtract(tree.total()));
    assertThat(tx.gasUsed()).isLessThan(120_000);

    // Every one of the 10,000 proofs is accepted by the contract's own check (and by the Java one).
    for (int i = 0; i < LEAVES; i++) {
      UsagePayoutTree.Leaf leaf = tree.leaf(i);
      if (!UsagePayoutTree.verify(tree.root(), leaf) || !platform.verifyUsagePayout(leaf)) {
        throw new AssertionError("proof of leaf " + i + " (" + leaf.account() + ") rejected");
      }
    }

    // A sample is claimed for real by someone else; the leaf's account is paid exactly its amount, once.
    ProvenanceClient relayer = client(7);
    BigInteger claimed = BigInteger.ZERO;
    for (int i : new int[] {0, 1, 2_500, 4_999, 7_777, 9_998, 9_999}) {
      UsagePayoutTree.Leaf leaf = tree.leaf(i);
      BigInteger before = platform.balanceOf(leaf.account());
      assertThat(relayer.claimUsagePayout(leaf).value()).isEqualTo(leaf.amountWei());
      assertThat(platform.balanceOf(leaf.account())).isEqualTo(before.add(leaf.amountWei()));
      assertThat(platform.usagePayoutClaimed(EPOCH, leaf.account())).isTrue();
      claimed = claimed.add(leaf.amountWei());
      // replayed: reverts, pays nothing
      assertThatThrownBy(() -> relayer.claimUsagePayout(leaf)).hasMessageContaining("PayoutAlreadyClaimed");
      assertThat(platform.balanceOf(leaf.account())).isEqualTo(before.add(leaf.amountWei()));
    }
    assertThat(platform.usagePayout(EPOCH).claimedWei()).isEqualTo(claimed);
    assertThat(platform.usagePayout(EPOCH).unclaimedWei()).isEqualTo(tree.total().subtract(claimed));

    // Forged: a larger amount, another account on a valid proof, a proof of another leaf, another epoch.
    UsagePayoutTree.Leaf good = tree.leaf(1234);
    UsagePayoutTree.Leaf more = new UsagePayoutTree.Leaf(EPOCH, good.account(), good.amountWei().add(BigInteger.ONE),
        good.proof());
    UsagePayoutTree.Leaf thief = new UsagePayoutTree.Leaf(EPOCH, account(8), good.amountWei(), good.proof());
    UsagePayoutTree.Leaf swapped = new UsagePayoutTree.Leaf(EPOCH, good.account(), good.amountWei(),
        tree.leaf(1235).proof());
    for (UsagePayoutTree.Leaf forged : List.of(more, thief, swapped)) {
      assertThat(platform.verifyUsagePayout(forged)).isFalse();
      assertThatThrownBy(() -> relayer.claimUsagePayout(forged)).hasMessageContaining("InvalidPayoutProof");
    }
    UsagePayoutTree.Leaf otherEpoch = new UsagePayoutTree.Leaf(EPOCH + 86_400, good.account(), good.amountWei(),
        good.proof());
    assertThatThrownBy(() -> relayer.claimUsagePayout(otherEpoch)).hasMessageContaining("NoPayout");

    // The root is committed once per epoch, by the owner only, funded with exactly its total.
    assertThatThrownBy(() -> platform.commitUsagePayout(tree, p -> { }))
        .hasMessageContaining("PayoutAlreadyCommitted");
    UsagePayoutTree next = UsagePayoutTree.build(EPOCH + 86_400, owed(3, 16));
    assertThatThrownBy(() -> client(3).commitUsagePayout(next, p -> { })).hasMessageContaining("NotOwner");

    // Unclaimed stays claimable: after another epoch and a month, a leaf never claimed still pays.
    platform.commitUsagePayout(next, p -> { });
    CHAIN.increaseTime(java.time.Duration.ofDays(31));
    UsagePayoutTree.Leaf late = tree.leaf(5_000);
    assertThat(relayer.claimUsagePayout(late).value()).isEqualTo(late.amountWei());
    assertThat(platform.usagePayout(EPOCH).claimedWei()).isEqualTo(claimed.add(late.amountWei()));
  }

  @Test
  void commitGasDoesNotDependOnTheNumberOfContributors() {
    ProvenanceClient platform = client(0);
    long small = platform.commitUsagePayout(UsagePayoutTree.build(EPOCH, owed(100, 1)), p -> { }).gasUsed();
    long large = platform.commitUsagePayout(UsagePayoutTree.build(EPOCH + 86_400, owed(LEAVES, 2)), p -> { })
        .gasUsed();
    // Only calldata bytes of the root, total and count differ.
    assertThat(Math.abs(large - small)).isLessThan(500);
  }
}
