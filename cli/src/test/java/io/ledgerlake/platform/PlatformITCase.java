package io.ledgerlake.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.ingestion.flink.IngestionJobOptions;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole embedded platform: upload API → content store → Kafka → Flink job → Iceberg → status
 * API, then a stop right after an acknowledged upload and a restart: the upload is ingested once,
 * and the streaming labeling job labels every record once.
 */
class PlatformITCase {
  @TempDir Path dir;

  LedgerLakePlatform.Config config() {
    Path data = dir.resolve("data");
    return new LedgerLakePlatform.Config(
        LakehouseOptions.embedded(data),
        ContentOptions.defaults().withStoreDir(data.resolve("content")).withGatewayPort(0),
        true,
        LedgerLakePlatform.ingestionOptions(Map.of(IngestionOptions.HTTP_PORT, "0"), data),
        IngestionJobOptions.from(Map.of(IngestionJobOptions.CHECKPOINT_INTERVAL, "500")),
        Duration.ofMillis(500),
        new LedgerLakePlatform.Labeling(Duration.ofSeconds(10), io.ledgerlake.labeling.LabelingOptions.defaults(),
            io.ledgerlake.labeling.stage.LabelingStageOptions.defaults(),
            io.ledgerlake.labeling.flink.LabelingJobOptions.from(Map.of(
                io.ledgerlake.labeling.flink.LabelingJobOptions.CHECKPOINT_INTERVAL, "500",
                io.ledgerlake.labeling.flink.LabelingJobOptions.MONITOR_INTERVAL, "200"))));
  }

  /** Waits until every ingested record has its curation row in label.labels (written by the streaming job). */
  static java.util.List<String> awaitLabels(LedgerLakePlatform platform, int records) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    java.util.List<String> curation = java.util.List.of();
    while (System.nanoTime() < deadline) {
      var labels = platform.lakehouse().table(io.ledgerlake.lakehouse.tables.TableModel.LABEL_LABELS);
      labels.refresh();
      java.util.List<String> found = new java.util.ArrayList<>();
      try (var rows = org.apache.iceberg.data.IcebergGenerics.read(labels).build()) {
        for (var r : rows) {
          if (r.getField("label_key").equals("curation")) {
            found.add((String) r.getField("record_cid"));
          }
        }
      }
      curation = found;
      if (curation.size() >= records) {
        return curation;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("only " + curation.size() + " of " + records + " records labeled in time");
  }

  static JsonNode awaitState(IngestionClient client, String submission, String state) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = client.status(submission);
      if (state.equals(last.path("status").asText())) {
        return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("submission " + submission + " never reached " + state + "; last: " + last);
  }

  @Test
  void uploadIsIngestedAndSurvivesAStopRightAfterTheAcknowledgement() throws Exception {
    DevKeyFile key = DevKeyFile.generate(dir.resolve("key.json"));
    Path good = Files.writeString(dir.resolve("a.jsonl"), "{\"id\":1,\"text\":\"one\"}\n{\"id\":2,\"text\":\"two\"}\n{broken\n");
    Path more = Files.writeString(dir.resolve("b.jsonl"), "{\"id\":3,\"text\":\"three\"}\n{\"id\":4,\"text\":\"four\"}\n");
    String datasetId;
    String second;
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config())) {
      IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
      IngestionClient client = anon.withToken(anon.login(key));
      datasetId = client.createDataset(new ObjectMapper().readTree("{\"name\":\"it\",\"format\":\"jsonl\",\"visibility\":\"public\"}"));
      IngestionClient.UploadResult first = client.upload(datasetId, good, null, n -> {});
      JsonNode status = awaitState(client, first.submissionId(), "ingested");
      assertThat(status.toString()).contains("\"accepted\":2").contains("\"rejected\":1");

      // Acknowledged, then the platform stops at once.
      second = client.upload(datasetId, more, null, n -> {}).submissionId();
    }
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config())) {
      IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
      IngestionClient client = anon.withToken(anon.login(key));
      awaitState(client, second, "ingested");
      var sql = platform.lakehouse();
      long records = 0;
      try (var rows = org.apache.iceberg.data.IcebergGenerics.read(sql.table(io.ledgerlake.lakehouse.tables.TableModel.INGEST_RECORDS)).build()) {
        for (var ignored : rows) {
          records++;
        }
      }
      assertThat(records).as("every accepted record exactly once").isEqualTo(4);
      // The streaming labeling job labeled every record once, across the stop and restart.
      assertThat(awaitLabels(platform, 4)).hasSize(4).doesNotHaveDuplicates();
    }
  }

  @Test
  void whenTheIngestionJobStopsUploadsAreRefusedWith503AndHealthSaysWhy() throws Exception {
    DevKeyFile key = DevKeyFile.generate(dir.resolve("key.json"));
    Path file = Files.writeString(dir.resolve("a.jsonl"), "{\"id\":1,\"text\":\"one\"}\n");
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config())) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest health = java.net.http.HttpRequest.newBuilder(platform.apiUri().resolve("/health")).build();
      java.net.http.HttpResponse<String> ok = http.send(health, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("\"ingestion-job\":\"running\"");

      IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
      IngestionClient client = anon.withToken(anon.login(key));
      String datasetId = client.createDataset(new ObjectMapper().readTree("{\"name\":\"it\",\"format\":\"jsonl\"}"));

      // The job stops behind the platform's back (as when it exhausts its restarts).
      platform.ingestionJob().cancel().get(60, java.util.concurrent.TimeUnit.SECONDS);
      ((PlatformHealth) platform.health()).poll();

      java.net.http.HttpResponse<String> down = http.send(health, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"ingestion-job\":\"cancel").contains("\"uploads\"");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.upload(datasetId, file, null, n -> {}))
          .hasMessageContaining("not running");
      java.net.http.HttpResponse<String> refused = http.send(java.net.http.HttpRequest.newBuilder(
              platform.apiUri().resolve("/v1/datasets/" + datasetId + "/uploads"))
          .header("Authorization", "Bearer " + anon.login(key)).header("Content-Type", "application/x-ndjson")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":2,\"text\":\"two\"}\n")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("INGESTION_UNAVAILABLE");
      assertThat(platform.content().stats().blocks()).as("nothing was stored").isZero();
    }
  }
}
