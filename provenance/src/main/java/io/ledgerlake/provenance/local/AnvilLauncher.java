package io.ledgerlake.provenance.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.provenance.LocalChainException;
import io.ledgerlake.provenance.ProvenanceOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs anvil (from the npm package {@code @foundry-rs/anvil-linux-amd64}, installed by the Maven build) on a
 * loopback port. With a state file the chain survives restarts: anvil loads it on start and dumps it on a clean
 * stop (SIGTERM) and every {@value #STATE_INTERVAL_SECONDS} s. The dev accounts anvil creates (from its fixed
 * test mnemonic) are read from its {@code --config-out} file.
 */
public final class AnvilLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnvilLauncher.class);
  static final int STATE_INTERVAL_SECONDS = 30;
  private static final String NPM_PATH = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

  private final Process process;
  private final int port;
  private final long chainId;
  private final List<String> devPrivateKeys;
  private final List<String> devAccounts;

  private AnvilLauncher(Process process, int port, long chainId, List<String> keys, List<String> accounts) {
    this.process = process;
    this.port = port;
    this.chainId = chainId;
    this.devPrivateKeys = List.copyOf(keys);
    this.devAccounts = List.copyOf(accounts);
  }

  /**
   * Finds the anvil executable: the option {@code ledgerlake.provenance.anvil.binary}, the same-named system
   * property (set by the Maven build for tests), the environment variable {@code LEDGERLAKE_ANVIL_BINARY}, then
   * {@code provenance/contracts/node_modules/...} or {@code contracts/node_modules/...} in the working directory
   * or one of its parents.
   */
  public static Path locateBinary(ProvenanceOptions options) {
    List<Path> candidates = new ArrayList<>();
    options.anvilBinary().ifPresent(candidates::add);
    Optional.ofNullable(System.getProperty(ProvenanceOptions.ANVIL_BINARY)).map(Path::of).ifPresent(candidates::add);
    Optional.ofNullable(System.getenv("LEDGERLAKE_ANVIL_BINARY")).map(Path::of).ifPresent(candidates::add);
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve("provenance/contracts").resolve(NPM_PATH));
      candidates.add(dir.resolve("contracts").resolve(NPM_PATH));
    }
    for (Path p : candidates) {
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new LocalChainException("Cannot find the anvil executable. Build the provenance module (it installs npm "
        + "@foundry-rs/anvil-linux-amd64) or set " + ProvenanceOptions.ANVIL_BINARY + "; looked at " + candidates.get(0)
        + (candidates.size() > 1 ? " and " + (candidates.size() - 1) + " more places" : ""), null);
  }

  /**
   * Starts anvil and waits until it answers.
   *
   * @param workDir holds anvil's config-out file and log; created if missing
   * @param stateFile state to load and dump, or null for a throw-away chain
   * @param port loopback port, 0 for a free one
   */
  public static AnvilLauncher start(Path binary, Path workDir, Path stateFile, int port, long chainId) {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new LocalChainException("Cannot create " + workDir + ": " + e.getMessage(), e);
    }
    LocalChainException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int p = port != 0 ? port : freePort();
      try {
        return startOnce(binary, workDir, stateFile, p, chainId);
      } catch (LocalChainException e) {
        last = e; // most likely another process took the free port in between: try another
        if (port != 0) {
          break;
        }
      }
    }
    throw last;
  }

  private static AnvilLauncher startOnce(Path binary, Path workDir, Path stateFile, int port, long chainId) {
    Path config = workDir.resolve("anvil-config.json");
    Path log = workDir.resolve("anvil.log");
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--chain-id", Long.toString(chainId), "--config-out", config.toString()));
    if (stateFile != null) {
      cmd.addAll(List.of("--state", stateFile.toString(), "--state-interval", Integer.toString(STATE_INTERVAL_SECONDS)));
    }
    Process process;
    try {
      Files.deleteIfExists(config);
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new LocalChainException("Cannot run " + binary + ": " + e.getMessage(), e);
    }
    JsonRpc rpc = new JsonRpc(URI.create("http://127.0.0.1:" + port));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      if (!process.isAlive()) {
        throw new LocalChainException("anvil exited with code " + process.exitValue() + " on port " + port
            + "; see " + log, null);
      }
      try {
        long served = Long.decode(rpc.call("eth_chainId").asText());
        if (served != chainId) {
          process.destroy();
          throw new LocalChainException("anvil on port " + port + " serves chain " + served + ", expected " + chainId
              + " (a state file from another chain id?)", null);
        }
        if (Files.exists(config)) {
          break;
        }
      } catch (IOException e) {
        // not up yet
      }
      if (Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new LocalChainException("anvil did not answer on port " + port + " within 30 s; see " + log, null);
      }
      sleep(50);
    }
    List<String> keys = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    try {
      JsonNode cfg = new ObjectMapper().readTree(config.toFile());
      cfg.path("private_keys").forEach(k -> keys.add(k.asText()));
      cfg.path("available_accounts").forEach(a -> accounts.add(a.asText().toLowerCase()));
    } catch (IOException e) {
      process.destroy();
      throw new LocalChainException("Cannot read anvil's config " + config + ": " + e.getMessage(), e);
    }
    LOG.info("anvil started on 127.0.0.1:{} (pid {}, chain {}, state {})", port, process.pid(), chainId,
        stateFile == null ? "none" : stateFile);
    return new AnvilLauncher(process, port, chainId, keys, accounts);
  }

  public int port() {
    return port;
  }

  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  public long chainId() {
    return chainId;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The funded dev accounts' private keys (anvil's fixed test mnemonic): for local use only. */
  public List<String> devPrivateKeys() {
    return devPrivateKeys;
  }

  public List<String> devAccounts() {
    return devAccounts;
  }

  public JsonRpc rpc() {
    return new JsonRpc(URI.create(rpcUrl()));
  }

  /** Stops anvil with SIGTERM (it dumps its state first), force-killing it after 15 s. */
  @Override
  public void close() {
    stop(process.toHandle());
  }

  static boolean stop(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return false;
    }
    handle.destroy();
    try {
      handle.onExit().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("anvil (pid {}) did not stop within 15 s; killing it", handle.pid());
      handle.destroyForcibly();
    }
    LOG.info("anvil (pid {}) stopped", handle.pid());
    return true;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new LocalChainException("No free loopback port: " + e.getMessage(), e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalChainException("Interrupted while starting anvil", e);
    }
  }
}
