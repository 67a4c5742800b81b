package io.ledgerlake.indexer;

import java.time.Duration;
import java.util.Map;

/**
 * The indexer's configuration keys ({@code ledgerlake.indexer.*}) and defaults. Where the node is and which
 * contracts to follow come from the provenance options and deployment file.
 *
 * <p>Finality rule (see docs/decisions/indexer-finality.md), with {@code depth = head - block_number}:
 * {@code pending} while {@code depth < confirmations}, {@code finalized} once {@code depth >= finalizedDepth},
 * {@code confirmed} in between.
 */
public final class IndexerOptions {
  public static final String PREFIX = "ledgerlake.indexer.";
  public static final String CONFIRMATIONS = PREFIX + "confirmations";
  public static final int CONFIRMATIONS_DEFAULT = 12;
  public static final String FINALIZED_DEPTH = PREFIX + "finalized-depth";
  public static final int FINALIZED_DEPTH_DEFAULT = 64;
  public static final String INITIAL_RANGE = PREFIX + "initial-range";
  public static final int INITIAL_RANGE_DEFAULT = 2_000;
  public static final String MAX_RANGE = PREFIX + "max-range";
  public static final int MAX_RANGE_DEFAULT = 100_000;
  /** The adaptive range aims at about this many logs per eth_getLogs call (providers cap results per call). */
  public static final String RANGE_EVENTS = PREFIX + "range-events";
  public static final int RANGE_EVENTS_DEFAULT = 10_000;
  public static final String HASH_LOG_SIZE = PREFIX + "hash-log-size";
  public static final int HASH_LOG_SIZE_DEFAULT = 128;
  public static final String POLL_INTERVAL = PREFIX + "poll-interval-ms";
  public static final long POLL_INTERVAL_DEFAULT = 2_000L;
  public static final String RPC_TIMEOUT = PREFIX + "rpc-timeout-ms";
  public static final long RPC_TIMEOUT_DEFAULT = 30_000L;
  /**
   * Snapshots of the chain.* tables younger than this are kept when follow mode expires old ones: the window
   * for "as of" (time-travel) queries. Reorg rollback needs no old snapshot (it rewrites the current state from the
   * hash log in the cursor), and the snapshot carrying the newest cursor is never expired.
   */
  public static final String SNAPSHOT_RETENTION = PREFIX + "snapshot-retention-ms";
  public static final long SNAPSHOT_RETENTION_DEFAULT = 7L * 24 * 3600 * 1000;
  /** At least this many of each chain.* table's newest snapshots are kept, however old. */
  public static final String SNAPSHOT_RETAIN_LAST = PREFIX + "snapshot-retain-last";
  public static final int SNAPSHOT_RETAIN_LAST_DEFAULT = 100;
  /** How often follow mode expires snapshots (it commits at every new head); 0 never. */
  public static final String EXPIRE_INTERVAL = PREFIX + "expire-interval-ms";
  public static final long EXPIRE_INTERVAL_DEFAULT = 10L * 60 * 1000;
  /**
   * Backfill commits cover several eth_getLogs ranges, up to this many events (the cursor still moves in the same
   * commit as the rows, so a crash loses at most one uncommitted batch and never duplicates). 1 commits every
   * range.
   */
  public static final String COMMIT_EVENTS = PREFIX + "commit-events";
  public static final int COMMIT_EVENTS_DEFAULT = 250_000;

  /** Every key above, for callers that collect the options from layered settings (the CLI). */
  public static final java.util.List<String> KEYS = java.util.List.of(CONFIRMATIONS, FINALIZED_DEPTH, INITIAL_RANGE,
      MAX_RANGE, RANGE_EVENTS, HASH_LOG_SIZE, POLL_INTERVAL, RPC_TIMEOUT, SNAPSHOT_RETENTION, SNAPSHOT_RETAIN_LAST,
      EXPIRE_INTERVAL, COMMIT_EVENTS);

  /** Finality of a row, stored in the {@code finality} column. */
  public enum Finality {
    PENDING("pending"),
    CONFIRMED("confirmed"),
    FINALIZED("finalized");

    private final String column;

    Finality(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }
  }

  private final int confirmations;
  private final int finalizedDepth;
  private final int initialRange;
  private final int maxRange;
  private final int hashLogSize;
  private final int rangeEvents;
  private final Duration pollInterval;
  private final Duration rpcTimeout;
  private final Duration snapshotRetention;
  private final int snapshotRetainLast;
  private final Duration expireInterval;
  private final int commitEvents;

  private IndexerOptions(Map<String, String> values) {
    this.confirmations = intValue(values, CONFIRMATIONS, CONFIRMATIONS_DEFAULT, 0);
    this.finalizedDepth = intValue(values, FINALIZED_DEPTH, FINALIZED_DEPTH_DEFAULT, 1);
    this.initialRange = intValue(values, INITIAL_RANGE, INITIAL_RANGE_DEFAULT, 1);
    this.maxRange = intValue(values, MAX_RANGE, MAX_RANGE_DEFAULT, 1);
    this.hashLogSize = intValue(values, HASH_LOG_SIZE, HASH_LOG_SIZE_DEFAULT, 2);
    this.rangeEvents = intValue(values, RANGE_EVENTS, RANGE_EVENTS_DEFAULT, 1);
    this.pollInterval = Duration.ofMillis(intValue(values, POLL_INTERVAL, (int) POLL_INTERVAL_DEFAULT, 1));
    this.rpcTimeout = Duration.ofMillis(intValue(values, RPC_TIMEOUT, (int) RPC_TIMEOUT_DEFAULT, 1));
    this.snapshotRetention = Duration.ofMillis(longValue(values, SNAPSHOT_RETENTION, SNAPSHOT_RETENTION_DEFAULT, 0));
    this.snapshotRetainLast = intValue(values, SNAPSHOT_RETAIN_LAST, SNAPSHOT_RETAIN_LAST_DEFAULT, 1);
    this.expireInterval = Duration.ofMillis(longValue(values, EXPIRE_INTERVAL, EXPIRE_INTERVAL_DEFAULT, 0));
    this.commitEvents = intValue(values, COMMIT_EVENTS, COMMIT_EVENTS_DEFAULT, 1);
    if (finalizedDepth < confirmations) {
      throw new IndexerConfigException(FINALIZED_DEPTH + " (" + finalizedDepth + ") must be >= " + CONFIRMATIONS
          + " (" + confirmations + ")");
    }
    if (maxRange < initialRange) {
      throw new IndexerConfigException(MAX_RANGE + " (" + maxRange + ") must be >= " + INITIAL_RANGE + " ("
          + initialRange + ")");
    }
  }

  public static IndexerOptions defaults() {
    return new IndexerOptions(Map.of());
  }

  /** Options with the one precedence (flag &gt; environment &gt; properties file &gt; default). */
  public static IndexerOptions from(io.ledgerlake.common.config.Settings settings) {
    return fromMap(settings.values(KEYS));
  }

  /** Options from {@code ledgerlake.indexer.*} keys; other keys are ignored, missing ones take the default. */
  public static IndexerOptions fromMap(Map<String, String> values) {
    return new IndexerOptions(Map.copyOf(values));
  }

  private static int intValue(Map<String, String> values, String key, int def, int min) {
    long v = longValue(values, key, def, min);
    if (v > Integer.MAX_VALUE) {
      throw new IndexerConfigException(key + " must be <= " + Integer.MAX_VALUE + ", got " + v);
    }
    return (int) v;
  }

  private static long longValue(Map<String, String> values, String key, long def, long min) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    long parsed;
    try {
      parsed = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IndexerConfigException(key + " must be an integer, got '" + v + "'");
    }
    if (parsed < min) {
      throw new IndexerConfigException(key + " must be >= " + min + ", got " + parsed);
    }
    return parsed;
  }

  /** The finality of a log in block {@code block} when the chain head is {@code head}. */
  public Finality finalityOf(long block, long head) {
    long depth = head - block;
    if (depth < confirmations) {
      return Finality.PENDING;
    }
    return depth >= finalizedDepth ? Finality.FINALIZED : Finality.CONFIRMED;
  }

  public int confirmations() {
    return confirmations;
  }

  public int finalizedDepth() {
    return finalizedDepth;
  }

  public int initialRange() {
    return initialRange;
  }

  public int maxRange() {
    return maxRange;
  }

  public int hashLogSize() {
    return hashLogSize;
  }

  public int rangeEvents() {
    return rangeEvents;
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  public Duration rpcTimeout() {
    return rpcTimeout;
  }

  public Duration snapshotRetention() {
    return snapshotRetention;
  }

  public int snapshotRetainLast() {
    return snapshotRetainLast;
  }

  /** Zero when follow mode never expires snapshots. */
  public Duration expireInterval() {
    return expireInterval;
  }

  public int commitEvents() {
    return commitEvents;
  }
}
