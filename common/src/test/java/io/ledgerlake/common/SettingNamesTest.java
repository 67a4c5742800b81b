package io.ledgerlake.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettingNamesTest {
  @Test
  void dotsAndDashesBecomeUnderscoresInUpperCase() {
    assertThat(SettingNames.envName("ledgerlake.ingestion.max-record-bytes"))
        .isEqualTo("LEDGERLAKE_INGESTION_MAX_RECORD_BYTES");
    assertThat(SettingNames.envName("ledgerlake.rag.query.licence-cache-ms")).isEqualTo("LEDGERLAKE_RAG_QUERY_LICENCE_CACHE_MS");
  }
}
