package io.ledgerlake.labeling.flink;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Keys and defaults of the streaming labeling job, {@code ledgerlake.labeling.flink.*}. */
public record LabelingJobOptions(
    Duration checkpointInterval,
    Duration monitorInterval,
    int maxPlanningSnapshots,
    int restartAttempts,
    Duration restartDelay)
    implements Serializable {

  public static final String PREFIX = "ledgerlake.labeling.flink.";

  /**
   * Checkpoint interval: label.labels gets one commit per checkpoint that labeled something, so this is the latency
   * from an ingestion commit to its labels (plus the monitor interval), and how many small files labels make.
   */
  public static final String CHECKPOINT_INTERVAL = PREFIX + "checkpoint-interval";

  public static final Duration CHECKPOINT_INTERVAL_DEFAULT = Duration.ofSeconds(5);

  /** How often the source looks for new ingest.records snapshots. */
  public static final String MONITOR_INTERVAL = PREFIX + "monitor-interval";

  public static final Duration MONITOR_INTERVAL_DEFAULT = Duration.ofSeconds(1);

  /**
   * Snapshots of ingest.records planned per discovery: bounds the rows the operator buffers (it labels whole
   * snapshots) while catching up on a backlog, at one discovery per monitor interval.
   */
  public static final String MAX_PLANNING_SNAPSHOTS = PREFIX + "max-planning-snapshots";

  public static final int MAX_PLANNING_SNAPSHOTS_DEFAULT = 8;

  /** Restarts before the job fails (bounded, as for the ingestion job). */
  public static final String RESTART_ATTEMPTS = PREFIX + "restart-attempts";

  public static final int RESTART_ATTEMPTS_DEFAULT = 5;

  public static final String RESTART_DELAY = PREFIX + "restart-delay";
  public static final Duration RESTART_DELAY_DEFAULT = Duration.ofMillis(500);

  /** Every key above. */
  public static final List<String> KEYS =
      List.of(CHECKPOINT_INTERVAL, MONITOR_INTERVAL, MAX_PLANNING_SNAPSHOTS, RESTART_ATTEMPTS, RESTART_DELAY);

  public LabelingJobOptions {
    positive(CHECKPOINT_INTERVAL, checkpointInterval);
    positive(MONITOR_INTERVAL, monitorInterval);
    if (maxPlanningSnapshots < 1) {
      throw new IllegalArgumentException(MAX_PLANNING_SNAPSHOTS + " must be >= 1: " + maxPlanningSnapshots);
    }
    if (restartAttempts < 0) {
      throw new IllegalArgumentException(RESTART_ATTEMPTS + " must be >= 0: " + restartAttempts);
    }
    positive(RESTART_DELAY, restartDelay);
  }

  public static LabelingJobOptions defaults() {
    return from(Map.of());
  }

  /** Options with the one precedence (flag &gt; environment &gt; properties file &gt; default). */
  public static LabelingJobOptions from(io.ledgerlake.common.config.Settings settings) {
    return from(settings.values(KEYS));
  }

  /** Options from a flat map; keys outside {@link #PREFIX} are ignored. Durations: ISO-8601 or milliseconds. */
  public static LabelingJobOptions from(Map<String, String> p) {
    return new LabelingJobOptions(
        duration(p, CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL_DEFAULT),
        duration(p, MONITOR_INTERVAL, MONITOR_INTERVAL_DEFAULT),
        integer(p, MAX_PLANNING_SNAPSHOTS, MAX_PLANNING_SNAPSHOTS_DEFAULT),
        integer(p, RESTART_ATTEMPTS, RESTART_ATTEMPTS_DEFAULT),
        duration(p, RESTART_DELAY, RESTART_DELAY_DEFAULT));
  }

  private static void positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive: " + d);
    }
  }

  private static int integer(Map<String, String> p, String key, int def) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'", e);
    }
  }

  private static Duration duration(Map<String, String> p, String key, Duration def) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    String t = v.trim();
    try {
      return t.startsWith("P") || t.startsWith("p") ? Duration.parse(t) : Duration.ofMillis(Long.parseLong(t));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " must be an ISO-8601 duration or milliseconds, got '" + v + "'", e);
    }
  }
}
