package io.ledgerlake.ingestion.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestionJobOptionsTest {
  @Test
  void valuesParseAndBlankTakesTheDefault() {
    IngestionJobOptions o = IngestionJobOptions.from(Map.of(IngestionJobOptions.CHECKPOINT_INTERVAL, "PT3S",
        IngestionJobOptions.PARSE_PARALLELISM, " 4 ", IngestionJobOptions.SPLIT_BYTES, "1048576",
        IngestionJobOptions.RESTART_DELAY, "250", IngestionJobOptions.PARALLELISM, " "));
    assertThat(o.checkpointInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.restartDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.parseParallelism()).isEqualTo(4);
    assertThat(o.splitBytes()).isEqualTo(1 << 20);
    assertThat(o.parallelism()).isEqualTo(IngestionJobOptions.PARALLELISM_DEFAULT);
    assertThat(o.splitMinBytes()).isEqualTo(IngestionJobOptions.SPLIT_MIN_BYTES_DEFAULT);
  }

  @Test
  void aBadValueNamesTheKeyAndWhatItShouldBe() {
    assertThatThrownBy(() -> IngestionJobOptions.from(Map.of(IngestionJobOptions.SPLIT_MIN_BYTES, "32MB")))
        .hasMessage(IngestionJobOptions.SPLIT_MIN_BYTES + "=32MB is not a number of bytes (e.g. 33554432)");
    assertThatThrownBy(() -> IngestionJobOptions.from(Map.of(IngestionJobOptions.PARSE_PARALLELISM, "two")))
        .hasMessage(IngestionJobOptions.PARSE_PARALLELISM + "=two is not an integer");
    assertThatThrownBy(() -> IngestionJobOptions.from(Map.of(IngestionJobOptions.CHECKPOINT_INTERVAL, "soon")))
        .hasMessage(IngestionJobOptions.CHECKPOINT_INTERVAL + "=soon is not a duration (e.g. 2000 or PT2S)");
    assertThatThrownBy(() -> IngestionJobOptions.from(Map.of(IngestionJobOptions.PARSE_PARALLELISM, "0")))
        .hasMessageContaining("parse-parallelism must be >= 1");
  }
}
