package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.provenance.ContractRevertedException;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import org.junit.jupiter.api.Test;

class AdministrationITCase extends AnvilTestBase {
  @Test
  void nonOwnerAdministrationRevertsWithAClearError() {
    for (ProvenanceContract c : ProvenanceContract.values()) {
      assertThatThrownBy(() -> client(3).pause(c))
          .isInstanceOfSatisfying(ContractRevertedException.class, e -> {
            assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR);
            assertThat(e.errorName()).isEqualTo("NotOwner");
            assertThat(e.getMessage()).isEqualTo(c.contractName() + " rejected pause: NotOwner(caller="
                + account(3) + ") (nothing was sent). Administration needs the key of the contract owner");
          });
    }
    assertThatThrownBy(() -> client(3).setRoyaltyLimits(10_000, 8, 16)).hasMessageContaining("NotOwner");
  }

  @Test
  void ownerPausesAndUnpauses() {
    ProvenanceClient admin = client(0);
    admin.pause(ProvenanceContract.ASSET_REGISTRY);
    assertThat(admin.status().paused()).containsEntry(ProvenanceContract.ASSET_REGISTRY, true)
        .containsEntry(ProvenanceContract.LICENSING, false);
    assertThatThrownBy(() -> client(1).registerAsset(AssetKind.DATASET, 0, "m"))
        .hasMessageContaining("ContractPaused()");
    admin.unpause(ProvenanceContract.ASSET_REGISTRY);
    assertThat(client(1).registerAsset(AssetKind.DATASET, 0, "m").value()).isPositive();
  }

  @Test
  void statusShowsDeployment() {
    ChainStatus s = client(0).status();
    assertThat(s.chainId()).isEqualTo(31337L);
    assertThat(s.contractsPresent()).isTrue();
    assertThat(s.deployment()).contains(CHAIN.deployment());
  }
}
