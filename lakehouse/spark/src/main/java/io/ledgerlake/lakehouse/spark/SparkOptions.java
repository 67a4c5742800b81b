package io.ledgerlake.lakehouse.spark;

import io.ledgerlake.common.config.Settings;

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

  /** True for Spark's in-process masters ({@code local}, {@code local[N]}, {@code local[*]}): no executor JVMs. */
  public boolean localMaster() {
    return master.equals("local") || master.startsWith("local[");
  }

  /**
   * Spark properties that let executors in other JVMs run this application's code (a {@code spark://} or other
   * cluster master): {@code spark.jars} with the LedgerLake jars of the driver's classpath, so that closures such as
   * the embedding job's partition function load on the executors. The cluster's own classpath provides the
   * third-party libraries (docs/decisions/spark-standalone.md). Empty for local masters, and when the operator set
   * {@code spark.jars} explicitly ({@code ledgerlake.spark.conf.spark.jars}).
   */
  public java.util.Map<String, String> clusterProperties() {
    if (localMaster() || extraConf.containsKey("spark.jars")) {
      return java.util.Map.of();
    }
    java.util.List<String> jars = applicationJars(System.getProperty("java.class.path", ""));
    return jars.isEmpty() ? java.util.Map.of() : java.util.Map.of("spark.jars", String.join(",", jars));
  }

  /**
   * The LedgerLake jars ({@code ledgerlake-*.jar}) among the entries of a class path, as absolute paths. Class
   * directories (an IDE or a module's own test run) are left out: Spark ships files, not directories.
   */
  static java.util.List<String> applicationJars(String classPath) {
    java.util.List<String> jars = new java.util.ArrayList<>();
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      java.nio.file.Path path = java.nio.file.Path.of(entry);
      java.nio.file.Path name = path.getFileName();
      if (name != null && name.toString().startsWith("ledgerlake-") && name.toString().endsWith(".jar")
          && java.nio.file.Files.isRegularFile(path)) {
        jars.add(path.toAbsolutePath().normalize().toString());
      }
    }
    return jars;
  }
}
