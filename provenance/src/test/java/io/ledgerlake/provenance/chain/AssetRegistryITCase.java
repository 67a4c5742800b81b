package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.ContractRevertedException;
import io.ledgerlake.provenance.model.Asset;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.AssetVersion;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssetRegistryITCase extends AnvilTestBase {
  @Test
  void registersAssetAndVersionsWithLineage() {
    ProvenanceClient owner = client(1);
    long a = owner.registerAsset(AssetKind.DATASET, 1_000, "bafy-meta-a").value();
    long b = owner.registerAsset(AssetKind.MODEL, 500, "bafy-meta-b").value();

    Asset asset = owner.asset(a);
    assertThat(asset.owner()).isEqualTo(account(1));
    assertThat(asset.kind()).isEqualTo(AssetKind.DATASET);
    assertThat(asset.royaltyBps()).isEqualTo(1_000);
    assertThat(asset.metadataCid()).isEqualTo("bafy-meta-a");
    assertThat(asset.latestVersionId()).isZero();

    byte[] binaryCid = HexFormat.of().parseHex("01551220" + "ab".repeat(32));
    long va = owner.registerVersion(a, ContentCommitment.ofBytes(binaryCid), List.of()).value();
    Submitted<Long> vb = owner.registerVersion(b, ContentCommitment.ofCidText("bafkreib"), List.of(va));

    AssetVersion read = owner.version(vb.value());
    assertThat(read.assetId()).isEqualTo(b);
    assertThat(read.commitment()).isEqualTo(ContentCommitment.ofCidText("bafkreib"));
    assertThat(read.parents()).containsExactly(va);
    assertThat(read.ancestors()).containsExactly(va);
    assertThat(read.depth()).isEqualTo(1);
    assertThat(read.royaltyStackBps()).isEqualTo(1_000);
    assertThat(owner.version(va).commitment().bytes()).isEqualTo(binaryCid);
    assertThat(owner.asset(b).latestVersionId()).isEqualTo(vb.value());
    assertThat(vb.tx().gasUsed()).isPositive();
  }

  @Test
  void onlyTheAssetOwnerRegistersVersions() {
    long a = client(1).registerAsset(AssetKind.DATASET, 0, "m").value();
    assertThatThrownBy(() -> client(2).registerVersion(a, ContentCommitment.ofCidText("x"), List.of()))
        .isInstanceOfSatisfying(ContractRevertedException.class, e -> {
          assertThat(e.errorName()).isEqualTo("NotAssetOwner");
          assertThat(e.transactionHash()).isEmpty();
          assertThat(e.getMessage()).contains("AssetRegistry rejected registerVersion: NotAssetOwner(assetId=" + a
              + ", caller=" + account(2) + ")").contains("use the owner's key");
        });
  }

  @Test
  void derivingFromOwnAssetOrTooDeepOrTooExpensiveIsRejected() {
    ProvenanceClient owner = client(1);
    long a = owner.registerAsset(AssetKind.DATASET, 3_000, "m").value();
    long b = owner.registerAsset(AssetKind.DATASET, 3_000, "m").value();
    long va = owner.registerVersion(a, ContentCommitment.ofCidText("a1"), List.of()).value();
    assertThatThrownBy(() -> owner.registerVersion(a, ContentCommitment.ofCidText("a2"), List.of(va)))
        .hasMessageContaining("SelfDerivation");
    long vb = owner.registerVersion(b, ContentCommitment.ofCidText("b1"), List.of(va)).value();
    long c = owner.registerAsset(AssetKind.MODEL, 0, "m").value();
    // ancestors a (30%) + b (30%) = 60% > default cap 50%
    assertThatThrownBy(() -> owner.registerVersion(c, ContentCommitment.ofCidText("c1"), List.of(vb)))
        .isInstanceOfSatisfying(ContractRevertedException.class,
            e -> assertThat(e.arguments()).containsExactly("stackBps=6000", "maxRoyaltyStackBps=5000"));
    client(0).setRoyaltyLimits(10_000, 1, 16);
    assertThatThrownBy(() -> owner.registerVersion(c, ContentCommitment.ofCidText("c1"), List.of(vb)))
        .hasMessageContaining("DerivationTooDeep(depth=2, maxDepth=1)");
  }
}
