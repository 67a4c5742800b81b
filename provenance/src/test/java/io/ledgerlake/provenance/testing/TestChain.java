package io.ledgerlake.provenance.testing;

import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.Deployment;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.AnvilLauncher;
import io.ledgerlake.provenance.local.JsonRpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One real anvil per test JVM with the contracts deployed once; tests isolate themselves with
 * evm_snapshot/evm_revert (see {@link AnvilTestBase}). Account 0 deployed the contracts (their administrator).
 */
public final class TestChain {
  private static TestChain instance;

  private final AnvilLauncher anvil;
  private final Deployment deployment;
  private final ProvenanceOptions options;

  private TestChain() throws IOException {
    Path dir = Files.createTempDirectory("ledgerlake-anvil-");
    ProvenanceOptions defaults = ProvenanceOptions.defaults();
    this.anvil = AnvilLauncher.start(AnvilLauncher.locateBinary(defaults), dir, null, 0, defaults.chainId());
    this.options = defaults.toBuilder()
        .rpcUrl(URI.create(anvil.rpcUrl()))
        .pollInterval(Duration.ofMillis(20))
        .receiptTimeout(Duration.ofSeconds(20))
        .droppedAfter(Duration.ofSeconds(1))
        .dataDir(dir)
        .build();
    this.deployment = ProvenanceClient.deploy(options, anvil.devPrivateKeys().get(0));
    Runtime.getRuntime().addShutdownHook(new Thread(anvil::close));
  }

  public static synchronized TestChain get() {
    if (instance == null) {
      try {
        instance = new TestChain();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  public ProvenanceOptions options() {
    return options;
  }

  public Deployment deployment() {
    return deployment;
  }

  public String key(int account) {
    return anvil.devPrivateKeys().get(account);
  }

  public String account(int account) {
    return anvil.devAccounts().get(account);
  }

  public ProvenanceClient client(int account) {
    return ProvenanceClient.connect(options, deployment, key(account));
  }

  public ProvenanceClient client(int account, ProvenanceOptions custom) {
    return ProvenanceClient.connect(custom, deployment, key(account));
  }

  public JsonRpc rpc() {
    return anvil.rpc();
  }

  public String rpcUrl() {
    return anvil.rpcUrl();
  }

  public String snapshot() {
    try {
      return rpc().call("evm_snapshot").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void revert(String snapshot) {
    try {
      rpc().call("evm_revert", snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves the chain's clock forward and mines a block so that views see the new time. */
  public void increaseTime(Duration d) {
    try {
      rpc().call("evm_increaseTime", d.toSeconds());
      rpc().call("evm_mine");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void call(String method, Object... params) {
    try {
      rpc().call(method, params);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
