package io.ledgerlake.provenance;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every setting of the provenance module, with its key ({@code ledgerlake.provenance.<key>}) and default.
 * Precedence (applied by the caller, e.g. the CLI): CLI flag &gt; environment &gt; properties file &gt; default;
 * {@link #fromMap(Map)} takes the already merged key/value pairs.
 */
public final class ProvenanceOptions {
  public static final String PREFIX = "ledgerlake.provenance.";

  public static final String RPC_URL = PREFIX + "rpc-url";
  public static final String RPC_URL_DEFAULT = "http://127.0.0.1:8545";
  public static final String CHAIN_ID = PREFIX + "chain-id";
  public static final long CHAIN_ID_DEFAULT = 31337L; // anvil's default chain id
  /** File holding the signing key as 0x-hex (one line). No default: sending needs it to be set. */
  public static final String KEY_FILE = PREFIX + "key-file";
  public static final String CONFIRMATIONS = PREFIX + "confirmations";
  public static final int CONFIRMATIONS_DEFAULT = 1;
  public static final String POLL_INTERVAL = PREFIX + "poll-interval-ms";
  public static final long POLL_INTERVAL_DEFAULT = 500L;
  public static final String RECEIPT_TIMEOUT = PREFIX + "receipt-timeout-ms";
  public static final long RECEIPT_TIMEOUT_DEFAULT = 120_000L;
  /** How long a sent transaction may be unknown to the node (not pending, not mined) before it counts as dropped. */
  public static final String DROPPED_AFTER = PREFIX + "dropped-after-ms";
  public static final long DROPPED_AFTER_DEFAULT = 10_000L;
  public static final String RPC_TIMEOUT = PREFIX + "rpc-timeout-ms";
  public static final long RPC_TIMEOUT_DEFAULT = 30_000L;
  /** Gas limit = estimate * this / 100, so that small state changes between estimate and mining do not fail. */
  public static final String GAS_HEADROOM_PERCENT = PREFIX + "gas-headroom-percent";
  public static final int GAS_HEADROOM_PERCENT_DEFAULT = 125;
  /** Versions with more contributors than this get a Merkle root instead of one token per contributor. */
  public static final String MERKLE_THRESHOLD = PREFIX + "merkle-threshold";
  public static final int MERKLE_THRESHOLD_DEFAULT = 200;

  /**
   * Royalty a dataset asset is registered with: what every derived asset (a model trained on it, an index built from
   * it) pays the dataset's contributors per payment. Fixed at registration (docs/decisions/provenance-royalty-model.md).
   */
  public static final String DATASET_ROYALTY_BPS = PREFIX + "dataset-royalty-bps";
  public static final int DATASET_ROYALTY_BPS_DEFAULT = 1_000;
  public static final String DATA_DIR = PREFIX + "data-dir";
  public static final String DATA_DIR_DEFAULT = "ledgerlake-data";
  /** Contract addresses; default {@code <data-dir>/chain/deployment.json}. */
  public static final String DEPLOYMENT_FILE = PREFIX + "deployment-file";
  /** Where an account's transaction with an unknown outcome is remembered; default {@code <data-dir>/chain/pending}. */
  public static final String JOURNAL_DIR = PREFIX + "journal-dir";
  /** The anvil executable; default: found next to the build (see {@code AnvilLauncher.locateBinary}). */
  public static final String ANVIL_BINARY = PREFIX + "anvil.binary";
  /** Loopback port for the local chain; 0 picks a free one. */
  public static final String ANVIL_PORT = PREFIX + "anvil.port";
  public static final int ANVIL_PORT_DEFAULT = 0;

  private final URI rpcUrl;
  private final long chainId;
  private final Path keyFile;
  private final int confirmations;
  private final Duration pollInterval;
  private final Duration receiptTimeout;
  private final Duration droppedAfter;
  private final Duration rpcTimeout;
  private final int gasHeadroomPercent;
  private final int merkleThreshold;
  private final int datasetRoyaltyBps;
  private final Path dataDir;
  private final Path deploymentFile;
  private final Path journalDir;
  private final Path anvilBinary;
  private final int anvilPort;

  private ProvenanceOptions(Builder b) {
    this.rpcUrl = b.rpcUrl;
    this.chainId = b.chainId;
    this.keyFile = b.keyFile;
    this.confirmations = b.confirmations;
    this.pollInterval = b.pollInterval;
    this.receiptTimeout = b.receiptTimeout;
    this.droppedAfter = b.droppedAfter;
    this.rpcTimeout = b.rpcTimeout;
    this.gasHeadroomPercent = b.gasHeadroomPercent;
    this.merkleThreshold = b.merkleThreshold;
    this.datasetRoyaltyBps = b.datasetRoyaltyBps;
    this.dataDir = b.dataDir;
    this.deploymentFile = b.deploymentFile;
    this.journalDir = b.journalDir;
    this.anvilBinary = b.anvilBinary;
    this.anvilPort = b.anvilPort;
  }

  public static ProvenanceOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Options with the one precedence (flag &gt; environment &gt; properties file &gt; default). A misspelt
   * {@code ledgerlake.provenance.*} key in a flag or the properties file is rejected, as in {@link #fromMap}.
   */
  public static ProvenanceOptions from(io.ledgerlake.common.config.Settings settings) {
    java.util.Set<String> keys = new java.util.TreeSet<>(defaults().toMap().keySet());
    keys.addAll(settings.explicitKeys(PREFIX));
    return fromMap(settings.values(keys));
  }

  /** Reads the keys above; unknown {@code ledgerlake.provenance.*} keys are rejected to catch typos. */
  public static ProvenanceOptions fromMap(Map<String, String> values) {
    Builder b = builder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String v = e.getValue().trim();
      switch (key) {
        case RPC_URL -> b.rpcUrl(URI.create(v));
        case CHAIN_ID -> b.chainId(parseLong(key, v));
        case KEY_FILE -> b.keyFile(Path.of(v));
        case CONFIRMATIONS -> b.confirmations((int) parseLong(key, v));
        case POLL_INTERVAL -> b.pollInterval(Duration.ofMillis(parseLong(key, v)));
        case RECEIPT_TIMEOUT -> b.receiptTimeout(Duration.ofMillis(parseLong(key, v)));
        case DROPPED_AFTER -> b.droppedAfter(Duration.ofMillis(parseLong(key, v)));
        case RPC_TIMEOUT -> b.rpcTimeout(Duration.ofMillis(parseLong(key, v)));
        case GAS_HEADROOM_PERCENT -> b.gasHeadroomPercent((int) parseLong(key, v));
        case MERKLE_THRESHOLD -> b.merkleThreshold((int) parseLong(key, v));
        case DATASET_ROYALTY_BPS -> b.datasetRoyaltyBps((int) parseLong(key, v));
        case DATA_DIR -> b.dataDir(Path.of(v));
        case DEPLOYMENT_FILE -> b.deploymentFile(Path.of(v));
        case JOURNAL_DIR -> b.journalDir(Path.of(v));
        case ANVIL_BINARY -> b.anvilBinary(Path.of(v));
        case ANVIL_PORT -> b.anvilPort((int) parseLong(key, v));
        default -> throw new ProvenanceConfigException(
            "Unknown option " + key + ": see ProvenanceOptions for the supported ledgerlake.provenance.* keys");
      }
    }
    return b.build();
  }

  /** The effective settings as key/value pairs (round-trips through {@link #fromMap}). */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(RPC_URL, rpcUrl.toString());
    m.put(CHAIN_ID, Long.toString(chainId));
    if (keyFile != null) {
      m.put(KEY_FILE, keyFile.toString());
    }
    m.put(CONFIRMATIONS, Integer.toString(confirmations));
    m.put(POLL_INTERVAL, Long.toString(pollInterval.toMillis()));
    m.put(RECEIPT_TIMEOUT, Long.toString(receiptTimeout.toMillis()));
    m.put(DROPPED_AFTER, Long.toString(droppedAfter.toMillis()));
    m.put(RPC_TIMEOUT, Long.toString(rpcTimeout.toMillis()));
    m.put(GAS_HEADROOM_PERCENT, Integer.toString(gasHeadroomPercent));
    m.put(MERKLE_THRESHOLD, Integer.toString(merkleThreshold));
    m.put(DATASET_ROYALTY_BPS, Integer.toString(datasetRoyaltyBps));
    m.put(DATA_DIR, dataDir.toString());
    m.put(DEPLOYMENT_FILE, deploymentFile().toString());
    m.put(JOURNAL_DIR, journalDir().toString());
    if (anvilBinary != null) {
      m.put(ANVIL_BINARY, anvilBinary.toString());
    }
    m.put(ANVIL_PORT, Integer.toString(anvilPort));
    return m;
  }

  private static long parseLong(String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ProvenanceConfigException("Option " + key + " must be a whole number, got '" + value + "'", e);
    }
  }

  public URI rpcUrl() {
    return rpcUrl;
  }

  public long chainId() {
    return chainId;
  }

  public Optional<Path> keyFile() {
    return Optional.ofNullable(keyFile);
  }

  public int confirmations() {
    return confirmations;
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  public Duration receiptTimeout() {
    return receiptTimeout;
  }

  public Duration droppedAfter() {
    return droppedAfter;
  }

  public Duration rpcTimeout() {
    return rpcTimeout;
  }

  public int gasHeadroomPercent() {
    return gasHeadroomPercent;
  }

  public int datasetRoyaltyBps() {
    return datasetRoyaltyBps;
  }

  public int merkleThreshold() {
    return merkleThreshold;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Directory of the local chain's state, runtime file and dev key: {@code <data-dir>/chain}. */
  public Path chainDir() {
    return dataDir.resolve("chain");
  }

  public Path deploymentFile() {
    return deploymentFile != null ? deploymentFile : chainDir().resolve("deployment.json");
  }

  public Path journalDir() {
    return journalDir != null ? journalDir : chainDir().resolve("pending");
  }

  public Optional<Path> anvilBinary() {
    return Optional.ofNullable(anvilBinary);
  }

  public int anvilPort() {
    return anvilPort;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.rpcUrl = rpcUrl;
    b.chainId = chainId;
    b.keyFile = keyFile;
    b.confirmations = confirmations;
    b.pollInterval = pollInterval;
    b.receiptTimeout = receiptTimeout;
    b.droppedAfter = droppedAfter;
    b.rpcTimeout = rpcTimeout;
    b.gasHeadroomPercent = gasHeadroomPercent;
    b.merkleThreshold = merkleThreshold;
    b.datasetRoyaltyBps = datasetRoyaltyBps;
    b.dataDir = dataDir;
    b.deploymentFile = deploymentFile;
    b.journalDir = journalDir;
    b.anvilBinary = anvilBinary;
    b.anvilPort = anvilPort;
    return b;
  }

  @Override
  public String toString() {
    return "ProvenanceOptions" + toMap();
  }

  /** Builder; {@link #build()} validates and names the offending key. */
  public static final class Builder {
    private URI rpcUrl = URI.create(RPC_URL_DEFAULT);
    private long chainId = CHAIN_ID_DEFAULT;
    private Path keyFile;
    private int confirmations = CONFIRMATIONS_DEFAULT;
    private Duration pollInterval = Duration.ofMillis(POLL_INTERVAL_DEFAULT);
    private Duration receiptTimeout = Duration.ofMillis(RECEIPT_TIMEOUT_DEFAULT);
    private Duration droppedAfter = Duration.ofMillis(DROPPED_AFTER_DEFAULT);
    private Duration rpcTimeout = Duration.ofMillis(RPC_TIMEOUT_DEFAULT);
    private int gasHeadroomPercent = GAS_HEADROOM_PERCENT_DEFAULT;
    private int merkleThreshold = MERKLE_THRESHOLD_DEFAULT;
    private int datasetRoyaltyBps = DATASET_ROYALTY_BPS_DEFAULT;
    private Path dataDir = Path.of(DATA_DIR_DEFAULT);
    private Path deploymentFile;
    private Path journalDir;
    private Path anvilBinary;
    private int anvilPort = ANVIL_PORT_DEFAULT;

    private Builder() {}

    public Builder rpcUrl(URI v) {
      this.rpcUrl = Objects.requireNonNull(v, RPC_URL);
      return this;
    }

    public Builder chainId(long v) {
      this.chainId = v;
      return this;
    }

    public Builder keyFile(Path v) {
      this.keyFile = v;
      return this;
    }

    public Builder confirmations(int v) {
      this.confirmations = v;
      return this;
    }

    public Builder pollInterval(Duration v) {
      this.pollInterval = Objects.requireNonNull(v, POLL_INTERVAL);
      return this;
    }

    public Builder receiptTimeout(Duration v) {
      this.receiptTimeout = Objects.requireNonNull(v, RECEIPT_TIMEOUT);
      return this;
    }

    public Builder droppedAfter(Duration v) {
      this.droppedAfter = Objects.requireNonNull(v, DROPPED_AFTER);
      return this;
    }

    public Builder rpcTimeout(Duration v) {
      this.rpcTimeout = Objects.requireNonNull(v, RPC_TIMEOUT);
      return this;
    }

    public Builder gasHeadroomPercent(int v) {
      this.gasHeadroomPercent = v;
      return this;
    }

    public Builder datasetRoyaltyBps(int v) {
      this.datasetRoyaltyBps = v;
      return this;
    }

    public Builder merkleThreshold(int v) {
      this.merkleThreshold = v;
      return this;
    }

    public Builder dataDir(Path v) {
      this.dataDir = Objects.requireNonNull(v, DATA_DIR);
      return this;
    }

    public Builder deploymentFile(Path v) {
      this.deploymentFile = v;
      return this;
    }

    public Builder journalDir(Path v) {
      this.journalDir = v;
      return this;
    }

    public Builder anvilBinary(Path v) {
      this.anvilBinary = v;
      return this;
    }

    public Builder anvilPort(int v) {
      this.anvilPort = v;
      return this;
    }

    public ProvenanceOptions build() {
      String scheme = rpcUrl.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new ProvenanceConfigException(RPC_URL + " must be an http(s) URL, got '" + rpcUrl + "'");
      }
      if (chainId <= 0) {
        throw new ProvenanceConfigException(CHAIN_ID + " must be positive, got " + chainId);
      }
      if (confirmations < 1) {
        throw new ProvenanceConfigException(CONFIRMATIONS + " must be at least 1, got " + confirmations);
      }
      if (gasHeadroomPercent < 100) {
        throw new ProvenanceConfigException(
            GAS_HEADROOM_PERCENT + " must be at least 100, got " + gasHeadroomPercent);
      }
      if (datasetRoyaltyBps < 0 || datasetRoyaltyBps > 5_000) {
        throw new ProvenanceConfigException(DATASET_ROYALTY_BPS + " must be in 0..5000 (the registry caps a royalty stack at"
            + " 50%), got " + datasetRoyaltyBps);
      }
      if (merkleThreshold < 1) {
        throw new ProvenanceConfigException(MERKLE_THRESHOLD + " must be at least 1, got " + merkleThreshold);
      }
      if (anvilPort < 0 || anvilPort > 65535) {
        throw new ProvenanceConfigException(ANVIL_PORT + " must be 0..65535, got " + anvilPort);
      }
      for (Duration d : new Duration[] {pollInterval, receiptTimeout, droppedAfter, rpcTimeout}) {
        if (d.isNegative() || d.isZero()) {
          throw new ProvenanceConfigException("durations in ledgerlake.provenance.* must be positive, got " + d);
        }
      }
      return new ProvenanceOptions(this);
    }
  }
}
