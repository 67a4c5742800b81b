package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.ContractRevertedException;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.Receipt;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevenueITCase extends AnvilTestBase {
  private static final BigInteger BPS = BigInteger.valueOf(10_000);

  /** The documented rule, computed independently of the contract: prefix-floor of the cumulative revenue. */
  static BigInteger expectedShare(BigInteger revenue, int offset, int share) {
    return revenue.multiply(BigInteger.valueOf(offset + share)).divide(BPS)
        .subtract(revenue.multiply(BigInteger.valueOf(offset)).divide(BPS));
  }

  @Test
  void sharesThatDoNotSumTo10000AreRejected() {
    ProvenanceClient owner = client(1);
    long a = owner.registerAsset(AssetKind.DATASET, 0, "m").value();
    long v = owner.registerVersion(a, ContentCommitment.ofCidText("v1"), List.of()).value();
    assertThatThrownBy(() -> owner.recordReceipts(v, List.of(
        new ReceiptShare(account(2), ContributorRole.DATA_PROVIDER, 5_000),
        new ReceiptShare(account(3), ContributorRole.ANNOTATOR, 4_999))))
        .isInstanceOfSatisfying(ContractRevertedException.class, e -> {
          assertThat(e.errorName()).isEqualTo("SharesMustSum10000");
          assertThat(e.arguments()).containsExactly("sumBps=9999");
        });
    assertThatThrownBy(() -> owner.recordReceipts(v, List.of(
        new ReceiptShare(account(2), ContributorRole.DATA_PROVIDER, 5_000),
        new ReceiptShare(account(3), ContributorRole.ANNOTATOR, 5_001))))
        .hasMessageContaining("SharesMustSum10000(sumBps=10001)");
    // and exactly 10,000 is accepted, once
    List<ReceiptShare> ok = List.of(
        new ReceiptShare(account(2), ContributorRole.DATA_PROVIDER, 5_000),
        new ReceiptShare(account(3), ContributorRole.ANNOTATOR, 5_000));
    assertThat(owner.recordReceipts(v, ok).value()).hasSize(2);
    assertThatThrownBy(() -> owner.recordReceipts(v, ok)).hasMessageContaining("ReceiptsAlreadyRecorded");
  }

  @Test
  void revenueSplitIsExactToTheWei() {
    ProvenanceClient owner = client(1);
    long a = owner.registerAsset(AssetKind.DATASET, 0, "m").value();
    PublishedVersion pv = owner.publishVersion(a, ContentCommitment.ofCidText("v1"), List.of(), List.of(
        new ReceiptShare(account(2), ContributorRole.DATA_PROVIDER, 3_333),
        new ReceiptShare(account(3), ContributorRole.ANNOTATOR, 3_333),
        new ReceiptShare(account(4), ContributorRole.REVIEWER, 3_334)));
    assertThat(pv.tokenIds()).hasSize(3);
    Receipt r2 = client(2).receiptsOf(account(2)).get(0);
    assertThat(r2.shareBps()).isEqualTo(3_333);
    assertThat(r2.offsetBps()).isZero();
    assertThat(client(4).receiptsOf(account(4)).get(0).offsetBps()).isEqualTo(6_666);

    BigInteger revenueBefore = owner.balanceOf(CHAIN.deployment().revenue());
    BigInteger paid = new BigInteger("1000000000000000007"); // 1 ether + 7 wei: not divisible
    client(5).pay(a, paid);
    client(5).pay(a, BigInteger.valueOf(13));
    BigInteger total = paid.add(BigInteger.valueOf(13));
    assertThat(owner.versionRevenue(pv.versionId())).isEqualTo(total);

    BigInteger sum = BigInteger.ZERO;
    int[][] ranges = {{2, 0, 3_333}, {3, 3_333, 3_333}, {4, 6_666, 3_334}};
    for (int[] r : ranges) {
      BigInteger expected = expectedShare(total, r[1], r[2]);
      assertThat(client(r[0]).claimable()).isEqualTo(expected);
      BigInteger got = client(r[0]).claim().orElseThrow().value();
      assertThat(got).isEqualTo(expected);
      sum = sum.add(got);
    }
    assertThat(sum).isEqualTo(total);
    assertThat(owner.balanceOf(CHAIN.deployment().revenue())).isEqualTo(revenueBefore);
    assertThat(client(2).claim()).isEmpty();
    assertThatThrownBy(() -> client(2).claimTokens(List.of(BigInteger.valueOf(pv.tokenIds().get(0)))))
        .hasMessageContaining("NothingToClaim");
    assertThatThrownBy(() -> client(3).claimTokens(List.of(BigInteger.valueOf(pv.tokenIds().get(0)))))
        .hasMessageContaining("NotReceiptHolder");
  }

  @Test
  void upstreamRoyaltyFlowsThroughATwoLevelDerivation() {
    ProvenanceClient owner = client(1);
    long a = owner.registerAsset(AssetKind.DATASET, 1_000, "a").value(); // 10% to derivers' payments
    long b = owner.registerAsset(AssetKind.DATASET, 500, "b").value(); // 5%
    long c = owner.registerAsset(AssetKind.MODEL, 0, "c").value();
    List<ReceiptShare> solo = List.of(new ReceiptShare(account(2), ContributorRole.OWNER, 10_000));
    long va = owner.publishVersion(a, ContentCommitment.ofCidText("a1"), List.of(), solo).versionId();
    long vb = owner.publishVersion(b, ContentCommitment.ofCidText("b1"), List.of(va),
        List.of(new ReceiptShare(account(3), ContributorRole.OWNER, 10_000))).versionId();
    long vc = owner.publishVersion(c, ContentCommitment.ofCidText("c1"), List.of(vb),
        List.of(new ReceiptShare(account(4), ContributorRole.MODEL_TRAINER, 10_000))).versionId();
    assertThat(owner.version(vc).ancestors()).containsExactlyInAnyOrder(va, vb);
    assertThat(owner.version(vc).royaltyStackBps()).isEqualTo(1_500);

    BigInteger p = new BigInteger("3000000000000000019");
    client(5).pay(c, p);
    BigInteger toA = p.multiply(BigInteger.valueOf(1_000)).divide(BPS);
    BigInteger toB = p.multiply(BigInteger.valueOf(500)).divide(BPS);
    assertThat(owner.versionRevenue(va)).isEqualTo(toA);
    assertThat(owner.versionRevenue(vb)).isEqualTo(toB);
    assertThat(owner.versionRevenue(vc)).isEqualTo(p.subtract(toA).subtract(toB));
    // B's own sales pay A too, and nothing flows downstream to C
    client(5).pay(b, BigInteger.valueOf(1_000));
    assertThat(owner.versionRevenue(va)).isEqualTo(toA.add(BigInteger.valueOf(100)));
    assertThat(owner.versionRevenue(vb)).isEqualTo(toB.add(BigInteger.valueOf(900)));
    assertThat(owner.versionRevenue(vc)).isEqualTo(p.subtract(toA).subtract(toB));
    assertThat(client(2).claim().orElseThrow().value()).isEqualTo(toA.add(BigInteger.valueOf(100)));
  }
}
