package io.ledgerlake.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.Deployment;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.AnvilLauncher;
import io.ledgerlake.provenance.local.JsonRpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real anvil with the provenance contracts deployed, built from the provenance module's public API (its own
 * test fixtures are not published as a jar).
 */
final class LocalAnvil implements AutoCloseable {
  private final AnvilLauncher anvil;
  private final ProvenanceOptions options;
  private final Deployment deployment;
  private final List<ProvenanceClient> clients = new ArrayList<>();

  private LocalAnvil(AnvilLauncher anvil, ProvenanceOptions options, Deployment deployment) {
    this.anvil = anvil;
    this.options = options;
    this.deployment = deployment;
  }

  static LocalAnvil start(Path dir, long chainId) {
    ProvenanceOptions defaults = ProvenanceOptions.defaults();
    AnvilLauncher anvil = AnvilLauncher.start(AnvilLauncher.locateBinary(defaults), dir, null, 0, chainId);
    ProvenanceOptions options = defaults.toBuilder()
        .rpcUrl(URI.create(anvil.rpcUrl()))
        .chainId(chainId)
        .pollInterval(Duration.ofMillis(20))
        .receiptTimeout(Duration.ofSeconds(20))
        .droppedAfter(Duration.ofSeconds(1))
        .dataDir(dir)
        .build();
    try {
      return new LocalAnvil(anvil, options, ProvenanceClient.deploy(options, anvil.devPrivateKeys().get(0)));
    } catch (RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  Deployment deployment() {
    return deployment;
  }

  ProvenanceOptions options() {
    return options;
  }

  String account(int i) {
    return anvil.devAccounts().get(i);
  }

  ProvenanceClient client(int i) {
    ProvenanceClient c = ProvenanceClient.connect(options, deployment, anvil.devPrivateKeys().get(i));
    clients.add(c);
    return c;
  }

  JsonNode call(String method, Object... params) {
    try {
      return new JsonRpc(URI.create(anvil.rpcUrl())).call(method, params);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String snapshot() {
    return call("evm_snapshot").asText();
  }

  void revert(String id) {
    call("evm_revert", id);
  }

  void mine(int blocks) {
    call("anvil_mine", "0x" + Integer.toHexString(blocks));
  }

  long head() {
    return Long.decode(call("eth_blockNumber").asText());
  }

  /** The canonical logs of the deployment as "blockHash/txHash/logIndex", straight from eth_getLogs. */
  List<String> canonicalLogs() {
    ObjectNode filter = new ObjectMapper().createObjectNode();
    filter.put("fromBlock", "0x0");
    filter.put("toBlock", "latest");
    filter.putArray("address").add(deployment.assetRegistry()).add(deployment.receipts())
        .add(deployment.revenue()).add(deployment.licensing());
    List<String> out = new ArrayList<>();
    for (JsonNode l : call("eth_getLogs", filter)) {
      out.add(l.get("blockHash").asText().toLowerCase() + "/" + l.get("transactionHash").asText().toLowerCase()
          + "/" + Long.decode(l.get("logIndex").asText()));
    }
    return out;
  }

  @Override
  public void close() {
    clients.forEach(ProvenanceClient::close);
    anvil.close();
  }
}
