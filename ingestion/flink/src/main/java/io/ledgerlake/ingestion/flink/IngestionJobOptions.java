package io.ledgerlake.ingestion.flink;

import io.ledgerlake.ingestion.IngestionOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * Keys and defaults of the Flink ingestion job. Kafka and parse limits come from {@link
 * io.ledgerlake.ingestion.IngestionOptions}; the catalog from the lakehouse options.
 */
public record IngestionJobOptions(
    Duration checkpointInterval,
    int parallelism,
    int restartAttempts,
    Duration restartDelay,
    String consumerGroup,
    int parseParallelism,
    long splitMinBytes,
    long splitBytes)
    implements Serializable {

  public static final String PREFIX = IngestionOptions.FLINK_JOB_PREFIX;

  /**
   * Checkpoint interval. Iceberg commits once per checkpoint, so this is also the latency from
   * upload to queryable rows, and sets how many small files a trickle of uploads creates.
   */
  public static final String CHECKPOINT_INTERVAL = PREFIX + "checkpoint-interval";

  public static final Duration CHECKPOINT_INTERVAL_DEFAULT = Duration.ofSeconds(2);

  public static final String PARALLELISM = PREFIX + "parallelism";
  public static final int PARALLELISM_DEFAULT = 1;

  /**
   * Restarts before the job fails. Bounded, because an unbounded restart loop with silenced logs
   * looks like a hang (seen with the embedded MiniCluster).
   */
  public static final String RESTART_ATTEMPTS = PREFIX + "restart-attempts";

  public static final int RESTART_ATTEMPTS_DEFAULT = 5;

  public static final String RESTART_DELAY = PREFIX + "restart-delay";
  public static final Duration RESTART_DELAY_DEFAULT = Duration.ofMillis(500);

  /** Kafka consumer group of the job (offsets live in Flink checkpoints; this is for monitoring). */
  public static final String CONSUMER_GROUP = PREFIX + "consumer-group";

  public static final String CONSUMER_GROUP_DEFAULT = "ledgerlake-ingestion";

  /**
   * Subtasks that parse, validate, canonicalize and name records. Above 1, a JSON Lines or CSV upload of at least {@link
   * #SPLIT_MIN_BYTES} is cut into byte ranges at record boundaries that these subtasks parse in parallel; the records
   * keep the positions and ordinals of a sequential parse (docs/decisions/ingestion-parallel-parse.md). Also the
   * number of Iceberg writers of {@code ingest.records} when larger than {@link #PARALLELISM}.
   */
  public static final String PARSE_PARALLELISM = PREFIX + "parse-parallelism";

  public static final int PARSE_PARALLELISM_DEFAULT = 1;

  /** Smallest upload that is split; smaller ones are parsed whole by one subtask. */
  public static final String SPLIT_MIN_BYTES = PREFIX + "split-min-bytes";

  public static final long SPLIT_MIN_BYTES_DEFAULT = 32L << 20;

  /**
   * Target size of one range. Bounds the memory a parsed range takes in flight (about its size again) and how far
   * one subtask can run ahead of another.
   */
  public static final String SPLIT_BYTES = PREFIX + "split-bytes";

  public static final long SPLIT_BYTES_DEFAULT = 8L << 20;

  /** Every key above. */
  public static final java.util.List<String> KEYS =
      java.util.List.of(CHECKPOINT_INTERVAL, PARALLELISM, RESTART_ATTEMPTS, RESTART_DELAY, CONSUMER_GROUP,
          PARSE_PARALLELISM, SPLIT_MIN_BYTES, SPLIT_BYTES);

  public IngestionJobOptions {
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException(CHECKPOINT_INTERVAL + " must be positive: " + checkpointInterval);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException(PARALLELISM + " must be >= 1: " + parallelism);
    }
    if (restartAttempts < 0) {
      throw new IllegalArgumentException(RESTART_ATTEMPTS + " must be >= 0: " + restartAttempts);
    }
    if (parseParallelism < 1) {
      throw new IllegalArgumentException(PARSE_PARALLELISM + " must be >= 1: " + parseParallelism);
    }
    if (splitMinBytes < 1 || splitBytes < 1) {
      throw new IllegalArgumentException(SPLIT_MIN_BYTES + " and " + SPLIT_BYTES + " must be >= 1 byte: "
          + splitMinBytes + ", " + splitBytes);
    }
  }

  /** A copy with another parse parallelism. */
  public IngestionJobOptions withParseParallelism(int n) {
    return new IngestionJobOptions(checkpointInterval, parallelism, restartAttempts, restartDelay, consumerGroup, n,
        splitMinBytes, splitBytes);
  }

  public static IngestionJobOptions defaults() {
    return new IngestionJobOptions(
        CHECKPOINT_INTERVAL_DEFAULT,
        PARALLELISM_DEFAULT,
        RESTART_ATTEMPTS_DEFAULT,
        RESTART_DELAY_DEFAULT,
        CONSUMER_GROUP_DEFAULT,
        PARSE_PARALLELISM_DEFAULT,
        SPLIT_MIN_BYTES_DEFAULT,
        SPLIT_BYTES_DEFAULT);
  }

  /** Options with the one precedence (flag &gt; environment &gt; properties file &gt; default). */
  public static IngestionJobOptions from(io.ledgerlake.common.config.Settings settings) {
    return from(settings.values(KEYS));
  }

  /** Options from flat properties; missing keys take their defaults. */
  public static IngestionJobOptions from(Map<String, String> properties) {
    return new IngestionJobOptions(
        duration(properties, CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL_DEFAULT),
        integer(properties, PARALLELISM, PARALLELISM_DEFAULT),
        integer(properties, RESTART_ATTEMPTS, RESTART_ATTEMPTS_DEFAULT),
        duration(properties, RESTART_DELAY, RESTART_DELAY_DEFAULT),
        properties.getOrDefault(CONSUMER_GROUP, CONSUMER_GROUP_DEFAULT),
        integer(properties, PARSE_PARALLELISM, PARSE_PARALLELISM_DEFAULT),
        bytes(properties, SPLIT_MIN_BYTES, SPLIT_MIN_BYTES_DEFAULT),
        bytes(properties, SPLIT_BYTES, SPLIT_BYTES_DEFAULT));
  }

  private static int integer(Map<String, String> p, String key, int def) {
    return value(p, key, def, Integer::parseInt, "an integer");
  }

  private static long bytes(Map<String, String> p, String key, long def) {
    return value(p, key, def, Long::parseLong, "a number of bytes (e.g. 33554432)");
  }

  /** Durations as ISO-8601 ({@code PT2S}) or milliseconds ({@code 2000}). */
  private static Duration duration(Map<String, String> p, String key, Duration def) {
    return value(p, key, def, v -> v.matches("\\d+") ? Duration.ofMillis(Long.parseLong(v)) : Duration.parse(v),
        "a duration (e.g. 2000 or PT2S)");
  }

  /** The one rule for every key: blank takes the default, a bad value names the key and what it should be. */
  private static <T> T value(Map<String, String> p, String key, T def, java.util.function.Function<String, T> parse,
      String what) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return parse.apply(v.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + "=" + v + " is not " + what, e);
    }
  }
}
