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
  private LakehouseSpark() {}

  /**
   * The session for these options. Spark allows one active session per JVM: if one exists it is
   * returned with the catalog registered on it.
   */
  public static SparkSession session(LakehouseOptions lakehouse, SparkOptions spark) {
    String catalog = lakehouse.catalogName();
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("ledgerlake")
            .master(spark.master())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", Integer.toString(spark.shufflePartitions()))
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.datetime.java8API.enabled", "true")
            // Keep Spark's own scratch space inside the data directory, not the working directory.
            .config("spark.sql.warehouse.dir", lakehouse.dataDir().resolve("spark-warehouse").toString())
            .config("spark.local.dir", lakehouse.dataDir().resolve("spark-tmp").toString())
            .config("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.defaultCatalog", catalog);
    for (Map.Entry<String, String> e : CatalogFactory.catalogProperties(lakehouse).entrySet()) {
      builder.config("spark.sql.catalog." + catalog + "." + e.getKey(), e.getValue());
    }
    spark.extraConf().forEach(builder::config);
    SparkSession session = builder.getOrCreate();
    // getOrCreate ignores static confs of an existing session, but catalog confs are runtime
    // confs: set them so a reused session sees this catalog too.
    session.conf().set("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog");
    for (Map.Entry<String, String> e : CatalogFactory.catalogProperties(lakehouse).entrySet()) {
      session.conf().set("spark.sql.catalog." + catalog + "." + e.getKey(), e.getValue());
    }
    return session;
  }
}
