package io.ledgerlake.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.format.ParseLimits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestionOptionsTest {
  @Test
  void everyDefault() {
    IngestionOptions o = IngestionOptions.defaultOptions();
    assertThat(o.getString(IngestionOptions.DATA_DIR)).isEqualTo("data");
    assertThat(o.getLong(IngestionOptions.MAX_RECORD_BYTES)).isEqualTo(1L << 20);
    assertThat(o.getLong(IngestionOptions.MAX_DOCUMENT_BYTES)).isEqualTo(16L << 20);
    assertThat(o.getLong(IngestionOptions.ARCHIVE_MAX_ENTRIES)).isEqualTo(10_000);
    assertThat(o.getLong(IngestionOptions.ARCHIVE_MAX_EXPANDED_BYTES)).isEqualTo(4L << 30);
    assertThat(o.getLong(IngestionOptions.ARCHIVE_MAX_COMPRESSION_RATIO)).isEqualTo(100);
    assertThat(o.getLong(IngestionOptions.SCHEMA_INFERENCE_SAMPLE)).isEqualTo(1000);
    assertThat(o.getLong(IngestionOptions.MAX_UPLOAD_BYTES)).isEqualTo(16L << 30);
    assertThat(o.getLong(IngestionOptions.QUOTA_BYTES_PER_DAY)).isEqualTo(64L << 30);
    assertThat(o.getLong(IngestionOptions.RATE_UPLOADS_PER_MINUTE)).isEqualTo(60);
    assertThat(o.getDuration(IngestionOptions.AUTH_NONCE_TTL)).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.getDuration(IngestionOptions.AUTH_TOKEN_TTL)).isEqualTo(Duration.ofHours(24));
    assertThat(o.getString(IngestionOptions.AUTH_DOMAIN)).isEqualTo("localhost");
    assertThat(o.getLong(IngestionOptions.AUTH_CHAIN_ID)).isEqualTo(31337);
    assertThat(o.getString(IngestionOptions.HTTP_HOST)).isEqualTo("127.0.0.1");
    assertThat(o.getLong(IngestionOptions.HTTP_PORT)).isEqualTo(8080);
    assertThat(o.getLong(IngestionOptions.HTTP_THREADS)).isEqualTo(16);
    assertThat(o.getDuration(IngestionOptions.HTTP_IDLE_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.getLong(IngestionOptions.HTTP_MAX_HEADER_BYTES)).isEqualTo(16384);
    assertThat(o.getLong(IngestionOptions.HTTP_MAX_CONNECTIONS_PER_CLIENT)).isEqualTo(64);
    assertThat(o.getLong(IngestionOptions.HTTP_ERROR_DRAIN_BYTES)).isEqualTo(4L << 20);
    assertThat(o.getString(IngestionOptions.KAFKA_BOOTSTRAP_SERVERS)).isEmpty();
    assertThat(o.getString(IngestionOptions.KAFKA_TOPIC)).isEqualTo("ledgerlake.submissions");
    assertThat(o.getLong(IngestionOptions.KAFKA_TOPIC_PARTITIONS)).isEqualTo(4);
    assertThat(o.getLong(IngestionOptions.KAFKA_EMBEDDED_PORT)).isZero();
    assertThat(o.getDuration(IngestionOptions.KAFKA_SEND_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.getDuration(IngestionOptions.UPLOAD_SESSION_TTL)).isEqualTo(Duration.ofDays(1));
    assertThat(IngestionOptions.allDefaults()).hasSize(27);
  }

  @Test
  void keysMapToValuesAndKeysAreNamespaced() {
    IngestionOptions o = IngestionOptions.of(Map.of(
        "ledgerlake.ingestion.max-record-bytes", "2048",
        "ledgerlake.ingestion.auth.token-ttl", "PT1H",
        "unrelated.key", "ignored"));
    assertThat(o.getLong(IngestionOptions.MAX_RECORD_BYTES)).isEqualTo(2048);
    assertThat(o.getDuration(IngestionOptions.AUTH_TOKEN_TTL)).isEqualTo(Duration.ofHours(1));
    assertThat(ParseLimits.from(o).maxRecordBytes()).isEqualTo(2048);
    assertThat(IngestionOptions.allDefaults().keySet()).allSatisfy(k -> assertThat(k).startsWith("ledgerlake.ingestion."));
    assertThat(o.with(IngestionOptions.HTTP_PORT, 9).getLong(IngestionOptions.HTTP_PORT)).isEqualTo(9);
  }

  @Test
  void precedenceIsCliThenEnvironmentThenFileThenDefault() {
    IngestionOptions o = IngestionOptions.resolve(
        Map.of("ledgerlake.ingestion.http.port", "1"),
        Map.of("LEDGERLAKE_INGESTION_HTTP_PORT", "2", "LEDGERLAKE_INGESTION_MAX_RECORD_BYTES", "3", "PATH", "/bin"),
        Map.of("ledgerlake.ingestion.http.port", "4", "ledgerlake.ingestion.max-record-bytes", "5",
            "ledgerlake.ingestion.kafka.topic", "from-file"));
    assertThat(o.getLong(IngestionOptions.HTTP_PORT)).isEqualTo(1);
    assertThat(o.getLong(IngestionOptions.MAX_RECORD_BYTES)).isEqualTo(3);
    assertThat(o.getString(IngestionOptions.KAFKA_TOPIC)).isEqualTo("from-file");
    assertThat(o.getLong(IngestionOptions.HTTP_THREADS)).isEqualTo(16);
    assertThat(IngestionOptions.environmentVariable(IngestionOptions.ARCHIVE_MAX_COMPRESSION_RATIO))
        .isEqualTo("LEDGERLAKE_INGESTION_ARCHIVE_MAX_COMPRESSION_RATIO");
  }

  @Test
  void typosAndBadValuesFailFast() {
    assertThatThrownBy(() -> IngestionOptions.resolve(Map.of(), Map.of(),
        Map.of("ledgerlake.ingestion.http.prot", "1")))
        .as("a misspelt key in the properties file, through the shared Settings")
        .hasMessageContaining("Unknown configuration key 'ledgerlake.ingestion.http.prot'");
    assertThatThrownBy(() -> IngestionOptions.of(Map.of("ledgerlake.ingestion.max-recrod-bytes", "1")))
        .hasMessageContaining("Unknown configuration key 'ledgerlake.ingestion.max-recrod-bytes'");
    assertThatCode(() -> IngestionOptions.resolve(Map.of(), Map.of(),
        Map.of("ledgerlake.ingestion.flink.checkpoint-interval", "1000", "ledgerlake.ingestion.http.port", "0")))
        .as("one settings file configures the API and the Flink job (ingestion/flink checks its own keys)")
        .doesNotThrowAnyException();
    IngestionOptions bad = IngestionOptions.of(Map.of("ledgerlake.ingestion.http.port", "eighty",
        "ledgerlake.ingestion.auth.nonce-ttl", "5 minutes"));
    assertThatThrownBy(() -> bad.getLong(IngestionOptions.HTTP_PORT)).hasMessageContaining("'eighty'");
    assertThatThrownBy(() -> bad.getDuration(IngestionOptions.AUTH_NONCE_TTL)).hasMessageContaining("PT5M");
  }
}
