package io.ledgerlake.ingestion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.ingestion.client.IngestionClientException;
import io.ledgerlake.ingestion.kafka.SubmissionLogReader;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import io.ledgerlake.ingestion.testing.FileContentStore;
import io.ledgerlake.ingestion.testing.Sha256RawCids;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ledgerlake up} will run: embedded Kafka + API from one data dir, driven by the Java client. */
class IngestionPlatformITCase {
  @TempDir
  Path dir;

  private IngestionPlatform start(Path dataDir) throws IOException {
    IngestionOptions options = IngestionOptions.defaultOptions()
        .with(IngestionOptions.DATA_DIR, dataDir.toString())
        .with(IngestionOptions.HTTP_PORT, 0);
    FileContentStore content = new FileContentStore(dataDir.resolve("content"));
    return IngestionPlatform.start(options, content, content, SubmissionStatusSource.none(), Clock.systemUTC());
  }

  @Test
  void clientLogsInSubmitsInChunksAndEverythingSurvivesARestart() throws Exception {
    Path dataDir = dir.resolve("data");
    DevKeyFile key = DevKeyFile.generate(dir.resolve("dev-key.json"));
    Path zip = dir.resolve("reviews.zip");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (int part = 0; part < 3; part++) {
        z.putNextEntry(new ZipEntry("part-" + part + ".csv"));
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int i = 0; i < 2000; i++) {
          csv.append(part * 10_000 + i).append(",\"review ").append(i).append(", with comma\"\n");
        }
        z.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    String token;
    String datasetId;
    String submissionId;
    try (IngestionPlatform platform = start(dataDir)) {
      IngestionClient anonymous = new IngestionClient(platform.server().baseUri(), Optional.empty(), 4 * 1024);
      token = anonymous.login(key);
      IngestionClient client = anonymous.withToken(token);
      datasetId = client.createDataset(Json.MAPPER.readTree("{\"name\":\"reviews\",\"format\":\"csv\"}"));
      List<Long> progress = new ArrayList<>();
      IngestionClient.UploadResult result = client.upload(datasetId, zip, null, progress::add);
      submissionId = result.submissionId();
      assertThat(result.cid()).isEqualTo(Sha256RawCids.cidOf(Files.readAllBytes(zip)));
      assertThat(result.duplicate()).isFalse();
      assertThat(progress).hasSizeGreaterThan(2).isSorted().endsWith(Files.size(zip));
      // Schema inferred from the CSV cells inside the zip.
      assertThat(client.dataset(datasetId).path("schema").path("fields").toString())
          .isEqualTo("[{\"name\":\"id\",\"type\":\"long\",\"required\":true},"
              + "{\"name\":\"text\",\"type\":\"string\",\"required\":true}]");
      assertThatThrownBy(() -> anonymous.createDataset(Json.MAPPER.readTree("{\"name\":\"x\",\"format\":\"csv\"}")))
          .isInstanceOf(IngestionClientException.class).hasMessageContaining("Authorization: Bearer")
          .extracting(e -> ((IngestionClientException) e).status()).isEqualTo(401);
    }
    assertThat(Files.isDirectory(dataDir.resolve("kafka/logs"))).isTrue();

    try (IngestionPlatform platform = start(dataDir)) {
      IngestionClient client = new IngestionClient(platform.server().baseUri(), Optional.of(token));
      assertThat(client.status(submissionId).path("status").asText()).isEqualTo("received");
      IngestionClient.UploadResult again = client.upload(datasetId, zip, null, offset -> { });
      assertThat(again.duplicate()).isTrue();
      assertThat(again.submissionId()).isEqualTo(submissionId);
      try (SubmissionLogReader reader = new SubmissionLogReader(platform.bootstrapServers(),
          IngestionOptions.KAFKA_TOPIC_DEFAULT, "platform-it")) {
        assertThat(reader.pollUntil(1, Duration.ofSeconds(30))).singleElement()
            .satisfies(e -> assertThat(e.event().submissionId()).isEqualTo(submissionId));
      }
    }
  }
}
