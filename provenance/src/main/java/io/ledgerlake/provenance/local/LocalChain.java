package io.ledgerlake.provenance.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.provenance.LocalChainException;
import io.ledgerlake.provenance.ProvenanceConfigException;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.ChainStatus;
import io.ledgerlake.provenance.chain.Deployment;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local development chain behind {@code ledgerlake chain up|status|down}: one anvil process per data
 * directory, running in the background (it outlives the command that started it), its state in
 * {@code <data-dir>/chain/anvil-state.json}. On first start the contracts are deployed from anvil's first dev
 * account and recorded in the deployment file; that account's key is written to {@code <data-dir>/chain/dev-key}
 * (a well-known test key: never use it on a real chain).
 *
 * <p>Runtime file {@code <data-dir>/chain/anvil-runtime.json}, format version 1:
 * {@code {"formatVersion":1,"pid":123,"port":8545,"rpcUrl":"http://127.0.0.1:8545","chainId":31337}}.
 */
public final class LocalChain {
  private static final Logger LOG = LoggerFactory.getLogger(LocalChain.class);
  public static final int RUNTIME_FORMAT_VERSION = 1;

  private LocalChain() {}

  /** A running local chain. */
  public record Running(long pid, int port, String rpcUrl, long chainId, Path keyFile, Deployment deployment) {}

  /**
   * Starts the local chain unless it already runs for this data directory, and deploys the contracts if the
   * deployment file is missing or its contracts are not on the chain.
   */
  public static Running up(ProvenanceOptions options) {
    Optional<Running> existing = running(options);
    if (existing.isPresent()) {
      LOG.info("Local chain already running at {} (pid {})", existing.get().rpcUrl(), existing.get().pid());
      return existing.get();
    }
    Path dir = options.chainDir();
    AnvilLauncher anvil = AnvilLauncher.start(AnvilLauncher.locateBinary(options), dir,
        dir.resolve("anvil-state.json"), options.anvilPort(), options.chainId());
    try {
      Path keyFile = dir.resolve("dev-key");
      Files.writeString(keyFile, anvil.devPrivateKeys().get(0) + "\n");
      writeRuntime(dir, anvil);
      ProvenanceOptions local = options.toBuilder().rpcUrl(URI.create(anvil.rpcUrl())).keyFile(keyFile).build();
      Deployment deployment = ensureDeployed(local, anvil.devPrivateKeys().get(0));
      return new Running(anvil.pid(), anvil.port(), anvil.rpcUrl(), options.chainId(), keyFile, deployment);
    } catch (IOException | RuntimeException e) {
      anvil.close();
      throw e instanceof RuntimeException re ? re
          : new LocalChainException("Cannot write local chain files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The local chain of this data directory if its process is alive and answering. */
  public static Optional<Running> running(ProvenanceOptions options) {
    Path runtime = options.chainDir().resolve("anvil-runtime.json");
    if (!Files.exists(runtime)) {
      return Optional.empty();
    }
    JsonNode r;
    try {
      r = new ObjectMapper().readTree(runtime.toFile());
    } catch (IOException e) {
      throw new ProvenanceConfigException("Cannot read " + runtime + ": " + e.getMessage(), e);
    }
    if (r.path("formatVersion").asInt() != RUNTIME_FORMAT_VERSION) {
      throw new ProvenanceConfigException(runtime + " has format version " + r.path("formatVersion")
          + "; this build reads " + RUNTIME_FORMAT_VERSION + ". Stop the chain with the LedgerLake that started it");
    }
    long pid = r.path("pid").asLong();
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    String url = r.path("rpcUrl").asText();
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return Optional.empty();
    }
    try {
      new JsonRpc(URI.create(url)).call("eth_chainId");
    } catch (IOException e) {
      return Optional.empty();
    }
    Path deploymentFile = options.deploymentFile();
    if (!Files.exists(deploymentFile)) {
      return Optional.empty();
    }
    return Optional.of(new Running(pid, r.path("port").asInt(), url, r.path("chainId").asLong(),
        options.chainDir().resolve("dev-key"), Deployment.read(deploymentFile)));
  }

  /** Node, deployment and pause state: of the local chain if it runs, else of the configured RPC URL. */
  public static ChainStatus status(ProvenanceOptions options) {
    Optional<Running> local = running(options);
    ProvenanceOptions effective = local.map(r -> clientOptions(options, r)).orElse(options);
    Optional<Deployment> deployment = Files.exists(effective.deploymentFile())
        ? Optional.of(Deployment.read(effective.deploymentFile())) : Optional.empty();
    return ProvenanceClient.status(effective, deployment);
  }

  /** Stops the local chain (its state is dumped first). Returns false if it was not running. */
  public static boolean down(ProvenanceOptions options) {
    Optional<Running> r = running(options);
    if (r.isEmpty()) {
      return false;
    }
    boolean stopped = ProcessHandle.of(r.get().pid()).map(AnvilLauncher::stop).orElse(false);
    try {
      Files.deleteIfExists(options.chainDir().resolve("anvil-runtime.json"));
    } catch (IOException e) {
      LOG.warn("Could not delete the runtime file in {}", options.chainDir(), e);
    }
    return stopped;
  }

  /** Options that point a client at the running local chain with its dev key. */
  public static ProvenanceOptions clientOptions(ProvenanceOptions options, Running running) {
    return options.toBuilder().rpcUrl(URI.create(running.rpcUrl())).chainId(running.chainId())
        .keyFile(running.keyFile()).build();
  }

  /** A client for the running local chain, signing with its dev key. */
  public static ProvenanceClient client(ProvenanceOptions options, Running running) {
    return ProvenanceClient.connect(clientOptions(options, running));
  }

  static Deployment ensureDeployed(ProvenanceOptions local, String deployerKey) {
    Path file = local.deploymentFile();
    if (Files.exists(file)) {
      Deployment existing = Deployment.read(file);
      ChainStatus st = ProvenanceClient.status(local, Optional.of(existing));
      if (st.contractsPresent()) {
        return existing;
      }
      LOG.info("Contracts of {} are not on the chain (state reset?): deploying again", file);
    }
    Deployment d = ProvenanceClient.deploy(local, deployerKey);
    d.write(file);
    LOG.info("Deployed provenance contracts to chain {}: registry {}; recorded in {}", d.chainId(),
        d.assetRegistry(), file);
    return d;
  }

  private static void writeRuntime(Path dir, AnvilLauncher anvil) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.put("formatVersion", RUNTIME_FORMAT_VERSION);
    n.put("pid", anvil.pid());
    n.put("port", anvil.port());
    n.put("rpcUrl", anvil.rpcUrl());
    n.put("chainId", anvil.chainId());
    Files.writeString(dir.resolve("anvil-runtime.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(n));
  }
}
