package io.ledgerlake.provenance.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleReceiptTreeTest {
  static List<ReceiptShare> equalShares(int n) {
    List<ReceiptShare> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int share = 10_000 / n + (i < 10_000 % n ? 1 : 0);
      out.add(new ReceiptShare(String.format("0x%040x", i + 1), ContributorRole.DATA_PROVIDER, share));
    }
    return out;
  }

  @Test
  void everyProofVerifiesForOddAndEvenSizes() {
    for (int n : new int[] {1, 2, 3, 5, 8, 13, 100, 1023}) {
      MerkleReceiptTree t = MerkleReceiptTree.build(7, equalShares(n));
      for (int i = 0; i < n; i++) {
        assertThat(MerkleReceiptTree.verify(t.root(), t.receipt(i))).as("n=%s i=%s", n, i).isTrue();
      }
      assertThat(t.receipt(n - 1).offsetBps() + t.receipt(n - 1).shareBps()).isEqualTo(10_000);
    }
  }

  @Test
  void tamperedLeavesDoNotVerify() {
    MerkleReceiptTree t = MerkleReceiptTree.build(7, equalShares(10));
    MerkleReceipt r = t.receipt(3);
    assertThat(MerkleReceiptTree.verify(t.root(), new MerkleReceipt(8, r.index(), r.account(), r.role(),
        r.shareBps(), r.offsetBps(), r.proof()))).isFalse();
    assertThat(MerkleReceiptTree.verify(t.root(), new MerkleReceipt(7, r.index(), r.account(),
        ContributorRole.OWNER, r.shareBps(), r.offsetBps(), r.proof()))).isFalse();
    assertThat(MerkleReceiptTree.verify(t.root(), new MerkleReceipt(7, r.index(), r.account(), r.role(),
        r.shareBps(), r.offsetBps() + 1, r.proof()))).isFalse();
  }

  @Test
  void leafHashMatchesAnIndependentImplementation() {
    // Known answers computed with js-sha3 (an independent keccak) over hand-built abi.encode words:
    // keccak256(keccak256(word(versionId) ++ word(index) ++ word(account) ++ word(role) ++ word(share) ++ word(offset)))
    assertThat(HexFormat.of().formatHex(MerkleReceiptTree.leafHash(
        1, 0, "0x" + "0".repeat(39) + "1", ContributorRole.DATA_PROVIDER, 10_000, 0)))
        .isEqualTo("b91e74e09a582c768af17964c3fe16a2620f170edb4c28155c45e69c059ca17c");
    assertThat(HexFormat.of().formatHex(MerkleReceiptTree.leafHash(
        42, 7, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", ContributorRole.MODEL_TRAINER, 250, 9_000)))
        .isEqualTo("55a7a50d616c6c28cd1fb46ab6aff70ba34fc7c4fbd2bf153e8c00d13bdca905");
    // a one-leaf tree's root is the leaf itself
    MerkleReceiptTree t = MerkleReceiptTree.build(1, equalShares(1));
    assertThat(t.rootHex()).isEqualTo("0xb91e74e09a582c768af17964c3fe16a2620f170edb4c28155c45e69c059ca17c");
  }

  @Test
  void sharesMustSumTo10000AndBePositive() {
    List<ReceiptShare> bad = new ArrayList<>(equalShares(4));
    bad.set(0, new ReceiptShare(bad.get(0).contributor(), bad.get(0).role(), bad.get(0).shareBps() - 1));
    assertThatThrownBy(() -> MerkleReceiptTree.build(1, bad)).hasMessageContaining("sum to 9999 bps");
    assertThatThrownBy(() -> MerkleReceiptTree.build(1, List.of(
        new ReceiptShare("0x" + "1".repeat(40), ContributorRole.OWNER, 10_000),
        new ReceiptShare("0x" + "2".repeat(40), ContributorRole.OWNER, 0)))).hasMessageContaining("is 0 bps");
  }

  @Test
  void receiptsOfFindsAllLeavesOfAnAccount() {
    String a = "0x" + "a".repeat(40);
    MerkleReceiptTree t = MerkleReceiptTree.build(1, List.of(
        new ReceiptShare(a, ContributorRole.DATA_PROVIDER, 6_000),
        new ReceiptShare("0x" + "b".repeat(40), ContributorRole.ANNOTATOR, 3_000),
        new ReceiptShare(a.toUpperCase().replace("0X", "0x"), ContributorRole.REVIEWER, 1_000)));
    assertThat(t.receiptsOf(a)).extracting(MerkleReceipt::index).containsExactly(0, 2);
    assertThat(t.receipt(2).offsetBps()).isEqualTo(9_000);
  }
}
