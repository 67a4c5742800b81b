package io.ledgerlake.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ledgerlake.cli.CliRun;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training and SQL jobs on a real Spark standalone cluster (Master and Worker JVMs, executors in JVMs the Worker
 * starts) with the Iceberg catalog in a real PostgreSQL, both started by infra/local-cluster/local-cluster.sh: the
 * model trained there has the CID of the same training on local[2] with the embedded SQLite catalog (training is
 * deterministic: one partition, a seed), also when one of the two Workers is killed while the training runs. Skipped,
 * with the script's reason, where PostgreSQL or the cluster cannot start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterITCase {
  static final Path SCRIPT = Path.of("..", "infra", "local-cluster", "local-cluster.sh").toAbsolutePath().normalize();
  /** The CLI's runtime jars, copied by this module's package phase: the cluster's SPARK_HOME/jars links them. */
  static final Path LIB = Path.of("target", "lib").toAbsolutePath();
  static final Pattern TRAINED = Pattern.compile("Trained (\\S+): (\\S+)");
  static final String DATASET = "ds-cluster";
  static final String TAG = "ds-cluster-v1";
  static final int RECORDS = 200;

  @TempDir static Path dir;
  /** Not a @TempDir: PostgreSQL runs as user postgres, who cannot enter JUnit's owner-only temporary directories. */
  static Path state;
  static Path clusterConfig;
  static String masterUrl;

  @BeforeAll
  static void startCluster() throws Exception {
    // One SparkContext per JVM: a context an earlier test class left would be reused instead of the cluster's.
    stopSpark();
    assumeTrue(Files.isDirectory(LIB), "no " + LIB + ": the local cluster needs this module's package phase");
    state = Files.createDirectories(Path.of("target", "local-cluster-it")).toAbsolutePath();
    // What a killed earlier run may have left; a fresh catalog: an earlier run's PostgreSQL database names tables in
    // warehouses that no longer exist.
    LocalClusterScript.fromCliModule(state).downAndWipe();
    // Two Workers of one core each: the second one is killed mid-training by the second test.
    String up = script("up", "--workers", "2", "--worker-cores", "1", "--worker-memory", "1g");
    clusterConfig = state.resolve("ledgerlake.properties");
    if (!Files.isRegularFile(clusterConfig)) {
      script("down");
      abort("the local cluster did not start here (infra/local-cluster/local-cluster.sh up):\n" + up);
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(clusterConfig)) {
      props.load(r);
    }
    masterUrl = props.getProperty(SparkOptions.MASTER);
    if (!"jdbc".equals(props.getProperty(LakehouseOptions.CATALOG_TYPE))) {
      script("down");
      abort("PostgreSQL could not be started here, so there is no JDBC catalog to test against:\n" + up);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    stopSpark(); // its executors are about to go; a later test class must not get this context
    if (state != null) {
      script("down");
    }
  }

  @Test
  @Order(1)
  void trainingOnTheClusterWithAPostgresCatalogGivesTheModelOfLocalTraining() throws Exception {
    // The embedded run: SQLite catalog, Spark in-process on local[2].
    Path local = dir.resolve("local");
    assertOk(CliRun.run(local, "init"));
    writeDataset(LakehouseOptions.embedded(local));
    String localCid = trainedCid(CliRun.run(local, train("-D", SparkOptions.MASTER + "=local[2]")));
    stopSpark();

    // The same on the cluster: PostgreSQL catalog, executors in the Worker's JVMs.
    Path clustered = dir.resolve("cluster");
    String config = clusterConfig.toString();
    assertOk(CliRun.run(clustered, "init", "--config", config));
    writeDataset(LakehouseOptions.from(
        Settings.load(Map.of(LakehouseOptions.DATA_DIR, clustered.toString()), Map.of(), Optional.of(clusterConfig))));
    String clusterCid = trainedCid(CliRun.run(clustered, train("--config", config)));

    SparkSession session = SparkSession.getDefaultSession().get();
    assertThat(session.sparkContext().master()).isEqualTo(masterUrl);
    assertThat(clusterCid).isEqualTo(localCid);

    CliRun count = CliRun.run(clustered, "sql", "--config", config,
        "select count(*) as n from ingest.records where dataset_id = '" + DATASET + "'");
    assertOk(count);
    assertThat(count.out()).contains(Integer.toString(RECORDS));

    // The work ran in executors, not in this JVM: the Worker's directory of this application has their logs.
    Path appDir = state.resolve("spark").resolve("work").resolve(session.sparkContext().applicationId());
    assertThat(executorLogs(appDir)).as("executor logs in %s", appDir).contains("Finished task");
  }

  /**
   * A Worker (and the executor it started) killed while the training's tasks run: Spark reschedules the lost tasks
   * on the other Worker's executor, the run finishes, and it is recorded as succeeded with the model that the same
   * training gives on local[2]. Runs after the first test, on its data directories and catalog.
   */
  @Test
  @Order(2)
  void killingAWorkerMidTrainingStillGivesTheLocalModel() throws Exception {
    Path local = dir.resolve("local");
    Path clustered = dir.resolve("cluster");
    assumeTrue(Files.isDirectory(clustered), "the first test prepares the cluster's data directory");
    // More iterations than the first test: a longer run to kill a Worker in, and a different model, so that the
    // cluster cannot answer with a model it already has.
    String maxIter = "120";
    stopSpark();
    String localCid = trainedCid(CliRun.run(local, trainWith(maxIter, "-D", SparkOptions.MASTER + "=local[2]")));
    stopSpark();

    Path pidFile = state.resolve("pids").resolve("spark-worker-2");
    long workerPid = Long.parseLong(Files.readString(pidFile).trim());
    java.util.concurrent.CompletableFuture<CliRun> training = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> CliRun.run(clustered, trainWith(maxIter, "--config", clusterConfig.toString())));
    // Wait until tasks run on the cluster, then kill Worker 2 and its executor without warning.
    String appId = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline && !training.isDone()) {
      Optional<SparkSession> session = Optional.ofNullable(SparkSession.getDefaultSession().getOrElse(() -> null));
      if (session.isPresent()) {
        appId = session.get().sparkContext().applicationId();
        Path appDir = state.resolve("spark").resolve("work").resolve(appId);
        if (countOccurrences(executorLogs(appDir), "Finished task") >= 20) {
          break;
        }
      }
      Thread.sleep(200);
    }
    assertThat(training).as("training still running when the Worker is killed").isNotDone();
    ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
    List<ProcessHandle> executors = worker.children().toList();
    assertThat(executors).as("Worker 2 runs an executor of the training").isNotEmpty();
    executors.forEach(ProcessHandle::destroyForcibly);
    worker.destroyForcibly();
    worker.onExit().get(30, TimeUnit.SECONDS);

    CliRun run = training.get(5, TimeUnit.MINUTES);
    String clusterCid = trainedCid(run);
    assertThat(clusterCid).as("the model after losing a Worker mid-training").isEqualTo(localCid);
    CliRun status = CliRun.run(clustered, "sql", "--config", clusterConfig.toString(), "--format", "csv",
        "select status, count(*) from ops.job_runs where job_name = 'train' group by status order by status");
    assertOk(status);
    assertThat(status.out()).as("ops.job_runs of the cluster's catalog").contains("succeeded,2")
        .doesNotContain("running").doesNotContain("failed");
  }

  static int countOccurrences(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  static String[] train(String... extra) {
    return trainWith("20", extra);
  }

  static String[] trainWith(String maxIter, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--dataset", DATASET, "--version", TAG, "--label",
        "field:topic", "--include-excluded", "--features", "1024", "--max-iter", maxIter, "--seed", "5"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** Seeded synthetic records whose topic is learnable from their words; the same rows for both catalogs. */
  static void writeDataset(LakehouseOptions options) {
    writeDataset(options, RECORDS);
  }

  /** {@code n} such records, tagged {@link #TAG}; also the dataset of {@link SparkClusterBenchmark}. */
  static void writeDataset(LakehouseOptions options, int n) {
    try (Lakehouse lakehouse = Lakehouse.open(options)) {
      Random random = new Random(7);
      String[] sports = {"match", "goal", "team", "coach", "league", "score", "player", "season"};
      String[] finance = {"market", "stock", "bond", "yield", "investor", "profit", "bank", "rate"};
      String[] filler = {"the", "a", "today", "report", "new", "big", "week", "people", "said"};
      Table records = lakehouse.table(TableModel.INGEST_RECORDS);
      List<Record> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean isSports = random.nextBoolean();
        String[] topic = isSports ? sports : finance;
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 10; w++) {
          text.append(random.nextInt(3) == 0 ? topic[random.nextInt(topic.length)] : filler[random.nextInt(filler.length)])
              .append(' ');
        }
        String json = "{\"id\":" + i + ",\"text\":\"" + text.toString().trim() + "\",\"topic\":\""
            + (isSports ? "sports" : "finance") + "\"}";
        Map<String, Object> r = new HashMap<>();
        r.put("record_cid", "bafyclusterrecord" + i);
        r.put("dataset_id", DATASET);
        r.put("submission_id", "s1");
        r.put("contributor", i % 2 == 0 ? "0xaaa" : "0xbbb");
        r.put("content_cid", "bafyupload");
        r.put("record_json", json);
        r.put("byte_size", json.length());
        r.put("ingested_at", OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        rows.add(Rows.of(records.schema(), r));
      }
      TableAppender.append(records, rows);
      lakehouse.versions(TableModel.INGEST_RECORDS).tagCurrent(TAG);
    }
  }

  static String trainedCid(CliRun run) {
    assertOk(run);
    Matcher m = TRAINED.matcher(run.out());
    assertThat(m.find()).as("a trained model in:\n%s", run.out()).isTrue();
    return m.group(2);
  }

  static void assertOk(CliRun run) {
    assertThat(run.code()).as("exit code; out:\n%s\nerr:\n%s", run.out(), run.err()).isZero();
  }

  static String executorLogs(Path appDir) throws IOException {
    if (!Files.isDirectory(appDir)) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(appDir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void stopSpark() {
    scala.Option<SparkSession> session = SparkSession.getDefaultSession();
    if (session.isDefined()) {
      session.get().stop();
    }
    SparkSession.clearDefaultSession();
    SparkSession.clearActiveSession();
  }

  /** Runs the local-cluster script on this test's state dir and returns what it printed; bounded in time. */
  static String script(String action, String... extra) throws IOException, InterruptedException {
    return LocalClusterScript.fromCliModule(state).run(action, extra);
  }
}
