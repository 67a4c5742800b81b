package io.ledgerlake.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ledgerlake.cli.CliRun;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.platform.flink.FlinkClusterOptions;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, the one command that shows the whole product: first on the embedded defaults (SQLite catalog, Flink
 * MiniCluster, embedded Kafka, Spark local[2], anvil), run twice to show it is idempotent; then its whole path on the
 * local clusters — ingestion job on a Flink session cluster (JobManager and TaskManager
 * JVMs), the submission log in a Kafka broker process, training, embedding and SQL on a Spark standalone cluster
 * (Master, Worker and executor JVMs), the Iceberg catalog and coordination in PostgreSQL — gives the tables the
 * embedded run gives on the same input: record CIDs, labels, published versions and their manifest CIDs, receipts,
 * the model's CID, the index's inputs (vectors), revenue shares (licences, royalties and retrieval-weighted usage). Skipped, with the script's reason, where the clusters or PostgreSQL cannot
 * start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoITCase {
  static final String RECORDS = "30";

  /** What is compared: each query's CSV on both runs (identifiers that differ per run, like tx hashes, left out). */
  static final Map<String, String> QUERIES = new LinkedHashMap<>();

  static {
    QUERIES.put("records", "select record_cid, contributor from ingest.records order by record_cid");
    QUERIES.put("labels", "select record_cid, label_key, value from label.labels order by record_cid, label_key, value");
    // Asset 3 is the demo's RAG index: its bytes, so its CID and manifest, differ per build (Lucene writes random
    // segment ids; decisions/rag-vector-index.md), so the index is compared by the hash of its inputs below. Asset 2
    // is the model: Spark's launcher starts executors with jdk.incubator.vector, so MLlib sums with netlib's
    // VectorBLAS there and with its Java BLAS in the CLI's local mode, and the weights differ in their last bits
    // (docs/training.md, "One model CID per BLAS"); the model is compared by what it was trained on.
    QUERIES.put("versions", "select asset_id, version, case when asset_id in (2, 3) then null else manifest_cid end as manifest,"
        + " lakehouse_tag, record_count from chain.asset_versions order by asset_id, version");
    QUERIES.put("receipts", "select asset_id, version, contributor, role, share_bps from chain.receipts"
        + " order by asset_id, version, contributor, role");
    QUERIES.put("models", "select dataset_id, version_tag, algorithm, label_source, record_count, train_count,"
        + " test_count, seed, params_json from ml.models order by dataset_id, version_tag, algorithm");
    QUERIES.put("indexes", "select inputs_sha256, vectors, records from rag.indexes order by inputs_sha256");
    QUERIES.put("shares", "select asset_id, version, recipient, role, share_bps, cast(amount_wei as string) as wei,"
        + " reason from attribution.revenue_shares order by asset_id, version, recipient, role, reason, wei");
  }

  @TempDir static Path dir;
  /** The embedded run's tables, which the clustered run must give too; null if the embedded run failed. */
  static Map<String, String> expected;

  @Test
  @Order(1)
  void theDemoOnTheEmbeddedDefaultsShowsTheWholeProductAndIsIdempotent() {
    LocalClusterITCase.stopSpark();
    Path embedded = dir.resolve("embedded");
    CliRun demo = CliRun.run(embedded, "demo", "--records", RECORDS);
    LocalClusterITCase.assertOk(demo);
    String dataset = demo.demoDataset();
    assertThat(demo.out()).contains("Step 12/12").contains("in ml.models").contains("in the curated view")
        .contains("0 discrepancies").contains("credited_wei").contains("royalty").contains("333400000000000")
        .contains("model_trainer").contains("has 30 records").contains("published as " + dataset + "-v1");
    // RAG: the index is a derived asset, and three licence-gated queries record their usage once.
    assertThat(demo.out()).contains("Registered index").contains("deposited").contains("licence api; usage recorded");
    // Through the real upload API and Flink job: the bad lines are rejected with their reasons.
    assertThat(demo.out()).contains("MALFORMED_JSON").contains("SCHEMA_MISMATCH")
        .contains("ingested, 10 accepted, 2 rejected");
    // The payout explanation: three receipts that split the 0.01 ETH license exactly.
    assertThat(demo.out()).contains("bought full access").contains("3334 bps  owed 0.003334 ETH")
        .contains("3333 bps  owed 0.003333 ETH");
    Map<String, String> first = tables(embedded);

    CliRun count = CliRun.run(embedded, "sql", "select count(*) as n from ingest.records", "--format", "json");
    LocalClusterITCase.assertOk(count);
    assertThat(count.out().strip()).isEqualTo("{\"n\":30}");

    CliRun again = CliRun.run(embedded, "demo", "--records", RECORDS);
    LocalClusterITCase.assertOk(again);
    assertThat(again.out()).contains("duplicate of an earlier upload").contains("has 30 records")
        .contains("already published as " + dataset + "-v1").contains("already holds full access")
        .contains("already holds an API licence").contains("a retry: recorded before, not again")
        .doesNotContain("usage recorded)");
    // Idempotent: the second run added nothing to any compared table.
    Map<String, String> second = tables(embedded);
    org.assertj.core.api.SoftAssertions.assertSoftly(soft -> first.forEach(
        (name, csv) -> soft.assertThat(second.get(name)).as("table query '%s' after the second run", name).isEqualTo(csv)));

    // The tagged version reads back through Spark SQL time travel.
    CliRun version = CliRun.run(embedded, "sql",
        "select count(distinct contributor) from ingest.records version as of '" + dataset + "-v1'", "--format", "csv");
    assertThat(version.out()).contains("\r\n3\r\n");
    CliRun lineage = CliRun.run(embedded, "sql",
        "select count(*) from lineage.events where job_name = 'ingest' and size(input_cids) > 0", "--format", "csv");
    LocalClusterITCase.assertOk(lineage);
    assertThat(lineage.out()).doesNotContain("\r\n0\r\n");
    CliRun tables = CliRun.run(embedded, "tables");
    assertThat(tables.out()).containsPattern("ingest\\.records\\s+\\|\\s+30\\s+\\|\\s+\\d+");
    expected = first;
  }

  @Test
  @Order(2)
  void theDemoOnTheClustersGivesTheTablesOfTheEmbeddedRun() throws Exception {
    assumeTrue(expected != null, "the embedded run failed (above), so there is nothing to compare with");
    Path libDir = Path.of("target", "lib");
    assumeTrue(Files.isDirectory(libDir), "no " + libDir + ": the local cluster needs this module's package phase");
    // Not a @TempDir: PostgreSQL runs as user postgres, who cannot enter JUnit's owner-only temporary directories.
    Path state = Files.createDirectories(Path.of("target", "cluster-demo-it")).toAbsolutePath();
    LocalClusterScript cluster = LocalClusterScript.fromCliModule(state);
    cluster.downAndWipe(); // what a killed earlier run may have left; a fresh catalog and Kafka log
    LocalClusterITCase.stopSpark();

    String up = cluster.run("up", "--workers", "1", "--worker-cores", "2", "--worker-memory", "2g", "--flink",
        "--taskmanagers", "1", "--kafka");
    Path config = state.resolve("ledgerlake.properties");
    try {
      Properties props = new Properties();
      if (Files.isRegularFile(config)) {
        try (Reader r = Files.newBufferedReader(config)) {
          props.load(r);
        }
      }
      if (!"jdbc".equals(props.getProperty(LakehouseOptions.CATALOG_TYPE))
          || props.getProperty(FlinkClusterOptions.CLUSTER_URL) == null) {
        abort("the local clusters with PostgreSQL did not start here (infra/local-cluster/local-cluster.sh up):\n" + up);
      }
      Path clustered = dir.resolve("clustered");
      CliRun demo = CliRun.run(clustered, "demo", "--records", RECORDS, "--config", config.toString());
      LocalClusterITCase.assertOk(demo);
      assertThat(demo.out()).contains("with the configured services")
          .contains("ingestion job on the Flink session cluster " + props.getProperty(FlinkClusterOptions.CLUSTER_URL));
      Map<String, String> actual = tables(clustered, "--config", config.toString());
      // Every table compared, so that a difference in one shows the others too.
      org.assertj.core.api.SoftAssertions.assertSoftly(soft -> expected.forEach(
          (name, csv) -> soft.assertThat(actual.get(name)).as("table query '%s'", name).isEqualTo(csv)));
      // and the work ran on the clusters, not in this JVM: a job in the JobManager's history, executor logs
      String overview = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(props.getProperty(FlinkClusterOptions.CLUSTER_URL) + "/jobs/overview")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(overview).as("jobs of the session cluster").contains("\"jid\"");
      StringBuilder executorLogs = new StringBuilder();
      Path work = state.resolve("spark").resolve("work");
      if (Files.isDirectory(work)) {
        try (var apps = Files.list(work)) {
          for (Path app : apps.toList()) {
            executorLogs.append(LocalClusterITCase.executorLogs(app));
          }
        }
      }
      assertThat(executorLogs.toString()).as("executor logs under %s", work).contains("Finished task");
    } finally {
      LocalClusterITCase.stopSpark();
      cluster.run("down");
    }
  }

  private static Map<String, String> tables(Path dataDir, String... extra) {
    Map<String, String> out = new LinkedHashMap<>();
    QUERIES.forEach((name, sql) -> {
      String[] args = new String[4 + extra.length];
      args[0] = "sql";
      args[1] = sql;
      args[2] = "--format";
      args[3] = "csv";
      System.arraycopy(extra, 0, args, 4, extra.length);
      CliRun r = CliRun.run(dataDir, args);
      LocalClusterITCase.assertOk(r);
      assertThat(r.out().lines().count()).as("rows of %s", name).isGreaterThan(1);
      out.put(name, r.out());
    });
    return out;
  }
}
