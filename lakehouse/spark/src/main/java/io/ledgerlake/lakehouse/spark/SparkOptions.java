package io.ledgerlake.lakehouse.spark;

import io.ledgerlake.lakehouse.config.Settings;

/** Keys and defaults for the Spark session LedgerLake starts. */
public final class SparkOptions {
  /** Spark master; {@code local[2]} fits the 2-core reference machine. Point at a cluster to scale out. */
  public static final String MASTER = "ledgerlake.spark.master";

  public static final String MASTER_DEFAULT = "local[2]";

  /** Shuffle partitions: small by default because the embedded data is small. */
  public static final String SHUFFLE_PARTITIONS = "ledgerlake.spark.shuffle-partitions";

  public static final int SHUFFLE_PARTITIONS_DEFAULT = 4;

  /**
   * Lets {@code ledgerlake sql} run DDL and DML (DROP, DELETE, INSERT, ALTER, CREATE, ...). Off by default: the
   * tables are the platform's record of contributions and payouts, and a dropped table loses that record.
   */
  public static final String SQL_ALLOW_WRITES = "ledgerlake.sql.allow-writes";

  public static final boolean SQL_ALLOW_WRITES_DEFAULT = false;

  /** The GPU switch ({@link SparkGpu}): false, true or auto. */
  public static final String GPU = "ledgerlake.spark.gpu";

  public static final String GPU_DEFAULT = "false";

  /** Prefix for raw Spark properties passed through unchanged, e.g. {@code ledgerlake.spark.conf.spark.plugins}. */
  public static final String CONF_PREFIX = "ledgerlake.spark.conf.";

  private final String master;
  private final int shufflePartitions;
  private final java.util.Map<String, String> extraConf;
  private final boolean sqlAllowWrites;
  private final SparkGpu.Mode gpu;

  private SparkOptions(Settings settings) {
    this.gpu = SparkGpu.Mode.of(settings.get(GPU, GPU_DEFAULT));
    this.sqlAllowWrites = Boolean.parseBoolean(settings.get(SQL_ALLOW_WRITES, Boolean.toString(SQL_ALLOW_WRITES_DEFAULT)).trim());
    this.master = settings.get(MASTER, MASTER_DEFAULT);
    this.shufflePartitions = settings.getInt(SHUFFLE_PARTITIONS, SHUFFLE_PARTITIONS_DEFAULT);
    this.extraConf = java.util.Map.copyOf(settings.withPrefix(CONF_PREFIX));
  }

  public static SparkOptions from(Settings settings) {
    return new SparkOptions(settings);
  }

  public String master() {
    return master;
  }

  public int shufflePartitions() {
    return shufflePartitions;
  }

  public SparkGpu.Mode gpu() {
    return gpu;
  }

  public boolean sqlAllowWrites() {
    return sqlAllowWrites;
  }

  public java.util.Map<String, String> extraConf() {
    return extraConf;
  }
}
