package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.ProvenanceConfigException;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploying to "any EVM chain" by RPC URL + chain id + key file, then connecting from the recorded file. */
class DeployITCase extends AnvilTestBase {
  @Test
  void deploysRecordsAndConnectsFromTheFiles(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("deployer.key");
    Files.writeString(key, CHAIN.key(9) + "\n");
    ProvenanceOptions options = CHAIN.options().toBuilder().dataDir(dir).keyFile(key).build();

    Deployment d = ProvenanceClient.deployAndRecord(options);
    assertThat(d.deployer()).isEqualTo(account(9));
    assertThat(Deployment.read(options.deploymentFile())).isEqualTo(d);
    assertThatThrownBy(() -> ProvenanceClient.deployAndRecord(options))
        .isInstanceOf(ProvenanceConfigException.class).hasMessageContaining("exists already");

    try (ProvenanceClient c = ProvenanceClient.connect(options)) {
      assertThat(c.account()).isEqualTo(account(9));
      assertThat(c.registerAsset(AssetKind.OTHER, 0, "m").value()).isEqualTo(1L); // a fresh registry
      assertThat(ProvenanceClient.status(options, Optional.of(d)).contractsPresent()).isTrue();
    }
    ProvenanceOptions wrongChain = options.toBuilder().chainId(1).build();
    assertThatThrownBy(() -> ProvenanceClient.connect(wrongChain)).hasMessageContaining("deployment is for chain 31337");
  }
}
