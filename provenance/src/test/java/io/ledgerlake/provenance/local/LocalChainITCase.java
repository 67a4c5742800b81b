package io.ledgerlake.provenance.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.ChainStatus;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.model.AssetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledgerlake chain up|status|down} end to end: a background anvil whose state survives a restart. */
class LocalChainITCase {
  @Test
  void upDeploysOnceAndStateSurvivesARestart(@TempDir Path dataDir) {
    ProvenanceOptions options = ProvenanceOptions.defaults().toBuilder()
        .dataDir(dataDir).pollInterval(Duration.ofMillis(20)).build();
    try {
      LocalChain.Running first = LocalChain.up(options);
      assertThat(Files.exists(options.deploymentFile())).isTrue();
      assertThat(LocalChain.up(options).pid()).isEqualTo(first.pid()); // idempotent
      ChainStatus status = LocalChain.status(options);
      assertThat(status.contractsPresent()).isTrue();
      assertThat(status.rpcUrl()).isEqualTo(first.rpcUrl());
      long assetId;
      try (ProvenanceClient c = LocalChain.client(options, first)) {
        assetId = c.registerAsset(AssetKind.RAG_INDEX, 100, "bafy-index").value();
      }

      assertThat(LocalChain.down(options)).isTrue();
      assertThat(LocalChain.running(options)).isEmpty();
      assertThat(Files.exists(options.chainDir().resolve("anvil-state.json"))).isTrue();
      assertThat(LocalChain.down(options)).isFalse();

      LocalChain.Running second = LocalChain.up(options);
      assertThat(second.deployment()).isEqualTo(first.deployment()); // not deployed again
      try (ProvenanceClient c = LocalChain.client(options, second)) {
        assertThat(c.asset(assetId).metadataCid()).isEqualTo("bafy-index");
        assertThat(c.asset(assetId).kind()).isEqualTo(AssetKind.RAG_INDEX);
      }
    } finally {
      LocalChain.down(options);
    }
  }
}
