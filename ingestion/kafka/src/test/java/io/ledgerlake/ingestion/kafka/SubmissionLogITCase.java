package io.ledgerlake.ingestion.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.schema.FieldType;
import io.ledgerlake.ingestion.schema.SchemaField;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real KRaft broker in this JVM: append, stop, restart on the same directory, read back. */
class SubmissionLogITCase {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  static SubmissionEvent event(int i) {
    return new SubmissionEvent("sub-" + i, "ds-" + (i % 2), "0x00000000000000000000000000000000000000aa",
        "bafkreicid" + i, 100 + i, DataFormat.JSONL, "application/x-ndjson", "f" + i + ".jsonl",
        Instant.parse("2026-11-22T00:00:00Z").plusSeconds(i),
        new DatasetSchema(List.of(new SchemaField("id", FieldType.LONG, true)), false));
  }

  @Test
  void eventsSurviveABrokerRestart() throws Exception {
    IngestionOptions options = IngestionOptions.defaultOptions().with(IngestionOptions.KAFKA_SEND_TIMEOUT, "PT20S");
    String topic = options.getString(IngestionOptions.KAFKA_TOPIC);
    String firstBootstrap;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, STARTUP)) {
      firstBootstrap = broker.bootstrapServers();
      SubmissionLog.ensureTopic(broker.bootstrapServers(), topic, 2, Optional.of((short) 1),
          Map.of("flush.messages", "1"));
      // Idempotent: a second call finds the topic.
      SubmissionLog.ensureTopic(broker.bootstrapServers(), topic, 2, Optional.of((short) 1), Map.of());
      try (SubmissionLog log = SubmissionLog.connect(broker.bootstrapServers(), options)) {
        for (int i = 0; i < 5; i++) {
          LogPosition position = log.append(event(i));
          assertThat(position.topic()).isEqualTo(topic);
          assertThat(position.offset()).isGreaterThanOrEqualTo(0);
        }
      }
    }
    assertThat(Files.list(dir.resolve("kafka/logs")).map(p -> p.getFileName().toString()))
        .anyMatch(name -> name.startsWith(topic + "-"));

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, STARTUP)) {
      assertThat(broker.bootstrapServers()).isEqualTo(firstBootstrap);
      try (SubmissionLogReader reader = new SubmissionLogReader(broker.bootstrapServers(), topic, "it-reader")) {
        List<SubmissionLogReader.Entry> entries = reader.pollUntil(5, Duration.ofSeconds(30));
        assertThat(entries).extracting(e -> e.event().submissionId())
            .containsExactlyInAnyOrder("sub-0", "sub-1", "sub-2", "sub-3", "sub-4");
        assertThat(entries).filteredOn(e -> e.event().datasetId().equals("ds-0"))
            .extracting(e -> e.event().submissionId()).containsExactly("sub-0", "sub-2", "sub-4");
        assertThat(entries.get(0).event()).isEqualTo(event(Integer.parseInt(
            entries.get(0).event().submissionId().substring(4))));
      }
    }
  }

  @Test
  void appendFailsClearlyWhenNoBrokerAnswers() {
    IngestionOptions options = IngestionOptions.defaultOptions().with(IngestionOptions.KAFKA_SEND_TIMEOUT, "PT2S");
    try (SubmissionLog log = SubmissionLog.connect("127.0.0.1:1", options)) {
      assertThatThrownBy(() -> log.append(event(1)))
          .isInstanceOf(SubmissionLogException.class)
          .hasMessageContaining("sub-1")
          .hasMessageContaining("retry the upload");
    }
  }
}
