package io.ledgerlake.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceOptionsTest {
  @Test
  void defaults() {
    ProvenanceOptions o = ProvenanceOptions.defaults();
    assertThat(o.rpcUrl()).isEqualTo(URI.create("http://127.0.0.1:8545"));
    assertThat(o.chainId()).isEqualTo(31337L);
    assertThat(o.keyFile()).isEmpty();
    assertThat(o.confirmations()).isEqualTo(1);
    assertThat(o.pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.receiptTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(o.droppedAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.rpcTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.gasHeadroomPercent()).isEqualTo(125);
    assertThat(o.merkleThreshold()).isEqualTo(200);
    assertThat(o.dataDir()).isEqualTo(Path.of("ledgerlake-data"));
    assertThat(o.deploymentFile()).isEqualTo(Path.of("ledgerlake-data/chain/deployment.json"));
    assertThat(o.journalDir()).isEqualTo(Path.of("ledgerlake-data/chain/pending"));
    assertThat(o.anvilBinary()).isEmpty();
    assertThat(o.anvilPort()).isZero();
  }

  @Test
  void everyKeyMapsToItsSetting() {
    Map<String, String> m = Map.ofEntries(
        Map.entry("ledgerlake.provenance.rpc-url", "https://rpc.example:8545"),
        Map.entry("ledgerlake.provenance.chain-id", "11155111"),
        Map.entry("ledgerlake.provenance.key-file", "/keys/k"),
        Map.entry("ledgerlake.provenance.confirmations", "3"),
        Map.entry("ledgerlake.provenance.poll-interval-ms", "100"),
        Map.entry("ledgerlake.provenance.receipt-timeout-ms", "2000"),
        Map.entry("ledgerlake.provenance.dropped-after-ms", "3000"),
        Map.entry("ledgerlake.provenance.rpc-timeout-ms", "4000"),
        Map.entry("ledgerlake.provenance.gas-headroom-percent", "150"),
        Map.entry("ledgerlake.provenance.merkle-threshold", "50"),
        Map.entry("ledgerlake.provenance.dataset-royalty-bps", "250"),
        Map.entry("ledgerlake.provenance.data-dir", "/data"),
        Map.entry("ledgerlake.provenance.deployment-file", "/d.json"),
        Map.entry("ledgerlake.provenance.journal-dir", "/j"),
        Map.entry("ledgerlake.provenance.anvil.binary", "/bin/anvil"),
        Map.entry("ledgerlake.provenance.anvil.port", "9545"),
        Map.entry("ledgerlake.other.key", "ignored"));
    ProvenanceOptions o = ProvenanceOptions.fromMap(m);
    assertThat(o.rpcUrl()).isEqualTo(URI.create("https://rpc.example:8545"));
    assertThat(o.chainId()).isEqualTo(11155111L);
    assertThat(o.keyFile()).contains(Path.of("/keys/k"));
    assertThat(o.confirmations()).isEqualTo(3);
    assertThat(o.pollInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(o.receiptTimeout()).isEqualTo(Duration.ofMillis(2000));
    assertThat(o.droppedAfter()).isEqualTo(Duration.ofMillis(3000));
    assertThat(o.rpcTimeout()).isEqualTo(Duration.ofMillis(4000));
    assertThat(o.datasetRoyaltyBps()).isEqualTo(250);
    assertThat(o.gasHeadroomPercent()).isEqualTo(150);
    assertThat(o.merkleThreshold()).isEqualTo(50);
    assertThat(o.dataDir()).isEqualTo(Path.of("/data"));
    assertThat(o.deploymentFile()).isEqualTo(Path.of("/d.json"));
    assertThat(o.journalDir()).isEqualTo(Path.of("/j"));
    assertThat(o.anvilBinary()).contains(Path.of("/bin/anvil"));
    assertThat(o.anvilPort()).isEqualTo(9545);
    // round trip
    assertThat(ProvenanceOptions.fromMap(o.toMap()).toMap()).isEqualTo(o.toMap());
  }

  @Test
  void invalidValuesNameTheKey() {
    assertThatThrownBy(() -> ProvenanceOptions.fromMap(Map.of("ledgerlake.provenance.confirmations", "0")))
        .isInstanceOf(ProvenanceConfigException.class).hasMessageContaining("ledgerlake.provenance.confirmations");
    assertThatThrownBy(() -> ProvenanceOptions.fromMap(Map.of("ledgerlake.provenance.chain-id", "x")))
        .hasMessageContaining("ledgerlake.provenance.chain-id must be a whole number");
    assertThatThrownBy(() -> ProvenanceOptions.fromMap(Map.of("ledgerlake.provenance.rpc-url", "ws://x")))
        .hasMessageContaining("ledgerlake.provenance.rpc-url");
    assertThatThrownBy(() -> ProvenanceOptions.fromMap(Map.of("ledgerlake.provenance.confirmation", "2")))
        .hasMessageContaining("Unknown option ledgerlake.provenance.confirmation");
  }
}
