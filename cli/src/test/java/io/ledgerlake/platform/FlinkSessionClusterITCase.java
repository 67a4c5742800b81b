package io.ledgerlake.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.ingestion.flink.IngestionJobOptions;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.platform.flink.ClusterJobClient;
import io.ledgerlake.platform.flink.FlinkClusterOptions;
import io.ledgerlake.platform.flink.FlinkRestClient;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledgerlake up} with its Flink jobs on a real Flink session cluster (a JobManager and two TaskManager JVMs)
 * and its submission log on a separate Kafka KRaft broker process, both started by
 * {@code infra/local-cluster/local-cluster.sh up --flink --kafka} from Maven artifacts. The jobs are the slim job jars
 * of infra/flink-jobs, submitted through the REST API. Skipped, with the script's output, where the cluster cannot
 * start.
 */
class FlinkSessionClusterITCase {

  @TempDir static Path dir;
  static Path state;
  static URI flinkUrl;
  static String kafka;

  @BeforeAll
  static void startCluster() throws Exception {
    state = Files.createDirectories(Path.of("target", "flink-cluster-it")).toAbsolutePath();
    // A fresh broker: an earlier run's submission log would be read again by this run's jobs (their data directories
    // are new, so nothing is checkpointed), and an old event naming the same deterministic upload ingests it again
    // into that run's dataset.
    io.ledgerlake.cli.cluster.LocalClusterScript.fromCliModule(state).downAndWipe();
    String up = script("up", "--no-postgres", "--no-spark", "--flink", "--kafka", "--taskmanagers", "2",
        "--tm-slots", "2");
    Path props = state.resolve("ledgerlake.properties");
    if (!Files.isRegularFile(props)) {
      script("down");
      abort("the Flink session cluster and Kafka did not start here (local-cluster.sh up --flink --kafka):\n" + up);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(props)) {
      p.load(r);
    }
    flinkUrl = URI.create(p.getProperty(FlinkClusterOptions.CLUSTER_URL));
    kafka = p.getProperty(IngestionOptions.KAFKA_BOOTSTRAP_SERVERS);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (state != null) {
      script("down");
    }
  }

  static String script(String action, String... extra) throws IOException, InterruptedException {
    return io.ledgerlake.cli.cluster.LocalClusterScript.fromCliModule(state).run(action, extra);
  }


  /** The platform's settings; on the cluster also the Kafka process and the cluster's URL. */
  static LedgerLakePlatform.Config config(Path data, boolean onCluster, boolean labeling) {
    Map<String, String> ingestion = new HashMap<>(Map.of(IngestionOptions.HTTP_PORT, "0"));
    Map<String, String> jobSettings = Map.of(
        IngestionJobOptions.CHECKPOINT_INTERVAL, "1000",
        io.ledgerlake.labeling.flink.LabelingJobOptions.CHECKPOINT_INTERVAL, "1000",
        io.ledgerlake.labeling.flink.LabelingJobOptions.MONITOR_INTERVAL, "300");
    if (onCluster) {
      ingestion.put(IngestionOptions.KAFKA_BOOTSTRAP_SERVERS, kafka);
      // each run its own topic: both cluster runs share the one broker
      ingestion.put(IngestionOptions.KAFKA_TOPIC, "submissions-" + data.getFileName());
    }
    return new LedgerLakePlatform.Config(
        LakehouseOptions.embedded(data),
        ContentOptions.defaults().withStoreDir(data.resolve("content")).withGatewayPort(0),
        true,
        LedgerLakePlatform.ingestionOptions(ingestion, data),
        IngestionJobOptions.from(Map.of(IngestionJobOptions.CHECKPOINT_INTERVAL, "1000",
            IngestionJobOptions.RESTART_ATTEMPTS, "10", IngestionJobOptions.RESTART_DELAY, "1000")),
        Duration.ofSeconds(1),
        !labeling ? null : new LedgerLakePlatform.Labeling(Duration.ofSeconds(10),
            io.ledgerlake.labeling.LabelingOptions.defaults(), io.ledgerlake.labeling.stage.LabelingStageOptions.defaults(),
            io.ledgerlake.labeling.flink.LabelingJobOptions.from(jobSettings)),
        null)
        .withFlinkCluster(onCluster ? new LedgerLakePlatform.FlinkCluster(FlinkClusterOptions.of(flinkUrl), jobSettings) : null);
  }

  static Path jsonl(String name, int records, int bytesPerRecord) throws IOException {
    Path file = dir.resolve(name);
    String pad = "x".repeat(Math.max(0, bytesPerRecord - 40));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < records; i++) {
      text.append("{\"id\":").append(i).append(",\"text\":\"").append(pad).append("\"}\n");
      if (i == records / 2) {
        text.append("{broken\n");
      }
    }
    return Files.writeString(file, text);
  }

  /** Uploads {@code file} to a new dataset; returns the submission id. */
  static String upload(LedgerLakePlatform platform, Path key, Path file) throws Exception {
    IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
    IngestionClient client = anon.withToken(anon.login(DevKeyFile.load(key)));
    String dataset = client.createDataset(new ObjectMapper().readTree("{\"name\":\"it\",\"format\":\"jsonl\"}"));
    return client.upload(dataset, file, null, n -> {}).submissionId();
  }

  static JsonNode awaitIngested(LedgerLakePlatform platform, Path key, String submission, Duration timeout)
      throws Exception {
    IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
    IngestionClient client = anon.withToken(anon.login(DevKeyFile.load(key)));
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = client.status(submission);
      if ("ingested".equals(last.path("status").asText())) {
        return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("submission " + submission + " not ingested in " + timeout + "; last: " + last
        + "; health: " + platform.health());
  }

  /** Every record CID in ingest.records, in CID order (duplicates kept, so that they show). */
  static List<String> recordCids(Lakehouse lakehouse) throws IOException {
    var table = lakehouse.table(TableModel.INGEST_RECORDS);
    table.refresh();
    List<String> cids = new ArrayList<>();
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
      rows.forEach(r -> cids.add((String) r.getField("record_cid")));
    }
    cids.sort(null);
    return cids;
  }

  @Test
  void ingestionOnTheSessionClusterGivesTheRecordsOfTheEmbeddedRun() throws Exception {
    Path key = dir.resolve("key.json");
    DevKeyFile.generate(key);
    Path file = jsonl("same.jsonl", 3_000, 200);

    List<String> embedded;
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config(dir.resolve("embedded"), false, false))) {
      awaitIngested(platform, key, upload(platform, key, file), Duration.ofMinutes(2));
      embedded = recordCids(platform.lakehouse());
    }
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config(dir.resolve("cluster"), true, true))) {
      assertThat(platform.ingestionJob()).isInstanceOf(ClusterJobClient.class);
      JsonNode status = awaitIngested(platform, key, upload(platform, key, file), Duration.ofMinutes(3));
      assertThat(status.toString()).contains("\"accepted\":3000").contains("\"rejected\":1");
      List<String> clustered = recordCids(platform.lakehouse());
      assertThat(clustered).hasSize(3_000).doesNotHaveDuplicates().isEqualTo(embedded);
      // The labeling job runs on the cluster too and labels every record once.
      assertThat(PlatformITCase.awaitLabels(platform, 3_000)).hasSize(3_000).doesNotHaveDuplicates();
      FlinkRestClient rest = new FlinkRestClient(flinkUrl);
      assertThat(rest.status(platform.ingestionJob().getJobID())).isEqualTo(JobStatus.RUNNING);
    }
  }

  /**
   * SIGKILL of the TaskManager that runs the ingestion job while it ingests one large upload: the JobManager notices
   * the lost TaskManager (heartbeat timeout), restarts the job on the other one from its last checkpoint, and every
   * record lands exactly once (the Iceberg commit is part of the checkpoint; replayed input is not committed twice).
   */
  @Test
  void killingTheTaskManagerMidIngestionLosesNothingAndDuplicatesNothing() throws Exception {
    Path key = dir.resolve("key-kill.json");
    DevKeyFile.generate(key);
    int records = 200_000; // ~60 MB: several seconds of ingestion, so that the kill lands in the middle
    Path file = jsonl("large.jsonl", records, 300);
    FlinkRestClient rest = new FlinkRestClient(flinkUrl);
    String killed = null;
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config(dir.resolve("kill"), true, false))) {
      var job = platform.ingestionJob().getJobID();
      String submission = upload(platform, key, file);
      // The job picks the submission up within a checkpoint interval; kill the TaskManager that runs it then.
      java.util.Set<String> running = awaitTaskManagers(rest, job);
      killed = running.iterator().next();
      Thread.sleep(1_000);
      long pid = Long.parseLong(Files.readString(state.resolve("pids").resolve("flink-" + killed)).trim());
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      int committedAtKill = recordCids(platform.lakehouse()).size();
      assertThat(committedAtKill).as("the kill landed before the upload was fully committed").isLessThan(records);

      JsonNode status = awaitIngested(platform, key, submission, Duration.ofMinutes(4));
      assertThat(status.toString()).contains("\"accepted\":" + records).contains("\"rejected\":1");
      assertThat(recordCids(platform.lakehouse())).hasSize(records).doesNotHaveDuplicates();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (rest.failureCount(job) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      assertThat(rest.failureCount(job)).as("the job failed over once the TaskManager was gone").isGreaterThan(0);
      assertThat(rest.taskManagersOf(job)).doesNotContain(killed);
      assertThat(rest.status(job)).isEqualTo(JobStatus.RUNNING);
    } finally {
      if (killed != null) {
        script("start-taskmanager", killed.substring(killed.lastIndexOf('-') + 1));
      }
    }
  }

  static java.util.Set<String> awaitTaskManagers(FlinkRestClient rest, org.apache.flink.api.common.JobID job)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      java.util.Set<String> ids = rest.taskManagersOf(job);
      if (!ids.isEmpty()) {
        return ids;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + job + " has no running task on any TaskManager");
  }
}
