package io.ledgerlake.lakehouse.spark;

import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.catalog.CatalogFactory;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Starts (or reuses) a Spark session whose default catalog is the LedgerLake Iceberg catalog, so
 * SQL can name tables as {@code ingest.records}.
 */
public final class LakehouseSpark {
  /** Spark's scratch space for this JVM (shuffle and spill files; no table data). */
  private static final java.nio.file.Path SCRATCH =
      java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "ledgerlake-spark-" + ProcessHandle.current().pid());

  private LakehouseSpark() {}

  /**
   * A session bound to the catalog of these options. Spark allows one SparkContext per JVM, so the
   * context is shared and each call gets its own {@code newSession()}: catalogs are instantiated
   * per session, which lets one JVM (a test run, a long-lived server) talk to several data
   * directories without one session's cached catalog leaking into another.
   */
  public static SparkSession session(LakehouseOptions lakehouse, SparkOptions spark) {
    return session(lakehouse, spark, Map.of());
  }

  /**
   * Like {@link #session(LakehouseOptions, SparkOptions)} with extra Iceberg catalog properties, set before the
   * session first uses the catalog (the catalog reads them once, when Spark instantiates it). The SQL service passes
   * {@code cache-enabled=false} here so that every statement sees the newest commit.
   */
  public static SparkSession session(LakehouseOptions lakehouse, SparkOptions spark, Map<String, String> catalogOverrides) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("ledgerlake")
            .master(spark.master())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.datetime.java8API.enabled", "true")
            // Scratch space is fixed when the JVM's one SparkContext starts, so it must not live in a
            // data directory that a later session (another data dir, a test's temp dir) outlives.
            .config("spark.sql.warehouse.dir", SCRATCH.resolve("warehouse").toString())
            .config("spark.local.dir", SCRATCH.resolve("tmp").toString());
    // On a cluster master, executors are other JVMs: they get the application's jars (none on local masters).
    spark.clusterProperties().forEach(builder::config);
    spark.extraConf().forEach(builder::config);
    // Before the SparkContext starts: the RAPIDS plugin fails executor start without a GPU (SparkGpu decides).
    SparkGpu.properties(spark.gpu(), SparkGpu.Probe.nvidiaSmi(), SparkGpu.pluginOnClasspath()).forEach(builder::config);
    SparkSession session = builder.getOrCreate().newSession();
    String catalog = lakehouse.catalogName();
    session.conf().set("spark.sql.shuffle.partitions", Integer.toString(spark.shufflePartitions()));
    session.conf().set("spark.sql.session.timeZone", "UTC");
    session.conf().set("spark.sql.datetime.java8API.enabled", "true");
    session.conf().set("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog");
    for (Map.Entry<String, String> e : CatalogFactory.catalogProperties(lakehouse).entrySet()) {
      session.conf().set("spark.sql.catalog." + catalog + "." + e.getKey(), e.getValue());
    }
    catalogOverrides.forEach((k, v) -> session.conf().set("spark.sql.catalog." + catalog + "." + k, v));
    session.conf().set("spark.sql.defaultCatalog", catalog);
    LineageFunctions.register(session);
    return session;
  }
}
