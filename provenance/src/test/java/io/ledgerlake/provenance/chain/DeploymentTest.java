package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.ProvenanceConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {
  static final Deployment SAMPLE = new Deployment(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512", "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
      "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", 1);

  @Test
  void roundTripsThroughAFile(@TempDir Path dir) {
    Path f = dir.resolve("chain/deployment.json");
    SAMPLE.write(f);
    assertThat(Deployment.read(f)).isEqualTo(SAMPLE);
    assertThat(SAMPLE.assetRegistry()).isEqualTo("0x5fbdb2315678afecb367f032d93f642f64180aa3");
  }

  @Test
  void version1FormatIsStable() {
    String v1 = """
        {"formatVersion":1,"chainId":31337,"deployer":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
         "deployedAtBlock":1,"contracts":{"AssetRegistry":"0x5fbdb2315678afecb367f032d93f642f64180aa3",
         "Receipts":"0xe7f1725e7734ce288f8367e1bb143e90bb3f0512","Revenue":"0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
         "Licensing":"0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9"}}""";
    assertThat(Deployment.fromJson(v1)).isEqualTo(SAMPLE);
    assertThat(Deployment.fromJson(SAMPLE.toJson())).isEqualTo(SAMPLE);
  }

  @Test
  void unknownVersionAndBadAddressesAreRejected() {
    assertThatThrownBy(() -> Deployment.fromJson("{\"formatVersion\":2}"))
        .isInstanceOf(ProvenanceConfigException.class).hasMessageContaining("format version 2 is not supported");
    assertThatThrownBy(() -> Deployment.fromJson(SAMPLE.toJson().replace("0x5fbdb", "0xZZZZZ")))
        .isInstanceOf(ProvenanceConfigException.class).hasMessageContaining("invalid address");
  }
}
