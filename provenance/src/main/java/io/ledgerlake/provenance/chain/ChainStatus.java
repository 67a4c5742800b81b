package io.ledgerlake.provenance.chain;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code ledgerlake chain status} shows: the node, the deployment, whether the contracts' code is present at
 * the recorded addresses, and which contracts are paused.
 */
public record ChainStatus(
    String rpcUrl,
    long chainId,
    long blockNumber,
    Optional<Deployment> deployment,
    boolean contractsPresent,
    Map<ProvenanceContract, Boolean> paused) {
  public ChainStatus {
    Objects.requireNonNull(rpcUrl, "rpcUrl");
    Objects.requireNonNull(deployment, "deployment");
    paused = Map.copyOf(paused);
  }
}
