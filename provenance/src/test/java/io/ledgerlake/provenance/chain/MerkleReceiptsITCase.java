package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.merkle.MerkleReceipt;
import io.ledgerlake.provenance.merkle.MerkleReceiptTree;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptMode;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleReceiptsITCase extends AnvilTestBase {
  static final int CONTRIBUTORS = 10_000;

  static List<ReceiptShare> oneBpsEach(int n) {
    List<ReceiptShare> shares = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shares.add(new ReceiptShare(String.format("0x%040x", 0x5000_0000L + i),
          ContributorRole.values()[i % ContributorRole.values().length], 1));
    }
    return shares;
  }

  @Test
  void proofsOfTenThousandContributorsVerifyOnChainAndPayExactly() {
    ProvenanceClient owner = client(1);
    long a = owner.registerAsset(AssetKind.DATASET, 0, "m").value();
    PublishedVersion pv = owner.publishVersion(a, ContentCommitment.ofCidText("big"), List.of(),
        oneBpsEach(CONTRIBUTORS));
    assertThat(pv.mode()).isEqualTo(ReceiptMode.MERKLE);
    assertThat(owner.receiptMode(pv.versionId())).isEqualTo(ReceiptMode.MERKLE);
    assertThat(pv.receiptsTx().gasUsed()).isLessThan(100_000);
    MerkleReceiptTree tree = pv.tree().orElseThrow();

    // every one of the 10,000 proofs is accepted by the contract
    for (int i = 0; i < CONTRIBUTORS; i++) {
      MerkleReceipt r = tree.receipt(i);
      if (!owner.verifyMerkleReceipt(r)) {
        throw new AssertionError("contract rejected the proof of leaf " + i);
      }
    }
    // a tampered leaf is not
    MerkleReceipt good = tree.receipt(1234);
    assertThat(owner.verifyMerkleReceipt(new MerkleReceipt(good.versionId(), good.index(), good.account(),
        good.role(), 2, good.offsetBps(), good.proof()))).isFalse();
    assertThat(owner.verifyMerkleReceipt(new MerkleReceipt(good.versionId(), good.index(), account(7),
        good.role(), good.shareBps(), good.offsetBps(), good.proof()))).isFalse();

    BigInteger paid = new BigInteger("1000000000000009999");
    client(5).pay(a, paid);
    for (int i : new int[] {0, 4_999, 9_999}) {
      MerkleReceipt r = tree.receipt(i);
      BigInteger expected = RevenueITCase.expectedShare(paid, r.offsetBps(), r.shareBps());
      assertThat(owner.owed(r)).isEqualTo(expected);
      BigInteger before = owner.balanceOf(r.account());
      assertThat(client(7).claimMerkle(r).value()).isEqualTo(expected); // anyone may submit; account is paid
      assertThat(owner.balanceOf(r.account())).isEqualTo(before.add(expected));
      assertThatThrownBy(() -> client(7).claimMerkle(r)).hasMessageContaining("NothingToClaim");
    }
    // a receipt token minted from a proof shares the claim state of its leaf
    long token = client(7).mintReceiptFromProof(tree.receipt(0)).value();
    assertThat(owner.receipt(token).versionId()).isEqualTo(pv.versionId());
    assertThat(owner.owedToToken(token)).isZero();
    assertThatThrownBy(() -> client(7).mintReceiptFromProof(tree.receipt(0)))
        .hasMessageContaining("LeafAlreadyMinted");
  }
}
