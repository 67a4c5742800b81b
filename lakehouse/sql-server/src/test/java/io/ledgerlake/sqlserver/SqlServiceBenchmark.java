package io.ledgerlake.sqlserver;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;

/**
 * Latency of {@code select count(*) from ingest.records}: a fresh {@code ledgerlake sql} process (baseline) against
 * pgjdbc on the SQL service (new connection per query, and one reused connection). A main class, not a test: numbers
 * go to docs/benchmarks.md. Args: launcher path (default ../../ledgerlake), rows (10000), process runs (5), service
 * runs (20).
 */
public final class SqlServiceBenchmark {
  static final String QUERY = "select count(*) from ingest.records";

  public static void main(String[] args) throws Exception {
    Path launcher = Path.of(args.length > 0 ? args[0] : "../../ledgerlake").toAbsolutePath().normalize();
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int processRuns = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int serviceRuns = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    Path dir = Files.createTempDirectory("ledgerlake-sql-bench");
    LakehouseOptions options = LakehouseOptions.embedded(dir);
    try (Lakehouse lakehouse = Lakehouse.open(options)) {
      lakehouse.init();
      Table records = lakehouse.table(TableModel.INGEST_RECORDS);
      TableAppender.append(records, SqlServiceTest.rows(records, "bench", rows, 0));
    }

    // Baseline first, before this JVM starts Spark, so that the two do not compete for the cores.
    List<Double> process = new ArrayList<>();
    for (int i = 0; i < processRuns; i++) {
      long start = System.nanoTime();
      Process p = new ProcessBuilder(launcher.toString(), "--data-dir", dir.toString(), "sql", "--format", "csv", QUERY)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0 || !out.contains(Integer.toString(rows))) {
        throw new IllegalStateException("ledgerlake sql failed: " + out);
      }
      process.add(ms(start));
    }

    long startService = System.nanoTime();
    SparkSession spark = SqlService.session(options, SparkOptions.from(Settings.empty()));
    SqlServiceOptions serviceOptions = SqlServiceOptions.from(Settings.of(Map.of(SqlServiceOptions.PORT, "0",
        SqlServiceOptions.SERVICE_USER, "bench", SqlServiceOptions.SERVICE_PASSWORD, "bench")));
    try (SqlService service = SqlService.start(spark, serviceOptions,
        new Authenticator(dir.resolve("auth"), Duration.ofHours(1), serviceOptions, Clock.systemUTC()),
        address -> io.ledgerlake.ingestion.server.DatasetFiles.unreadableBy(dir, address))) {
      String url = "jdbc:postgresql://127.0.0.1:" + service.port() + "/lakehouse";
      Properties p = new Properties();
      p.setProperty("user", "bench");
      p.setProperty("password", "bench");
      double serviceStart = ms(startService);
      long first = System.nanoTime();
      query(url, p, rows);
      double firstQuery = ms(first);
      List<Double> fresh = new ArrayList<>();
      for (int i = 0; i < serviceRuns; i++) {
        long start = System.nanoTime();
        query(url, p, rows);
        fresh.add(ms(start));
      }
      List<Double> reused = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
        for (int i = 0; i < serviceRuns; i++) {
          long start = System.nanoTime();
          count(s, rows);
          reused.add(ms(start));
        }
      }
      double base = median(process);
      System.out.printf("rows=%d cores=%d%n", rows, Runtime.getRuntime().availableProcessors());
      System.out.printf("| fresh `ledgerlake sql` process (baseline), median of %d | %.0f ms | 1 |%n", processRuns, base);
      System.out.printf("| service start in-process (Spark session, bind) | %.0f ms | %.2f |%n", serviceStart,
          serviceStart / base);
      System.out.printf("| first query on the service (cold Spark) | %.0f ms | %.3f |%n", firstQuery, firstQuery / base);
      System.out.printf("| pgjdbc, new connection + query, median of %d | %.1f ms | %.4f |%n", serviceRuns,
          median(fresh), median(fresh) / base);
      System.out.printf("| pgjdbc, reused connection, median of %d | %.1f ms | %.4f |%n", serviceRuns,
          median(reused), median(reused) / base);
    }
  }

  private static void query(String url, Properties p, int rows) throws Exception {
    try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
      count(s, rows);
    }
  }

  private static void count(Statement s, int rows) throws Exception {
    try (ResultSet rs = s.executeQuery(QUERY)) {
      rs.next();
      if (rs.getLong(1) != rows) {
        throw new IllegalStateException("count " + rs.getLong(1) + " != " + rows);
      }
    }
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
