package io.ledgerlake.lakehouse.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.lakehouse.LakehouseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetManifestTest {
  @Test
  void bytesAreCanonicalAndRoundTrip() {
    DatasetManifest a = new DatasetManifest("ds", "ds-v1", List.of("bafkc", "bafka", "bafkb", "bafka"));
    DatasetManifest b = new DatasetManifest("ds", "ds-v1", List.of("bafkb", "bafkc", "bafka"));
    assertThat(a.toBytes()).isEqualTo(b.toBytes());
    assertThat(new String(a.toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"format\":\"ledgerlake.dataset-manifest\",\"version\":1,\"dataset\":\"ds\",\"tag\":\"ds-v1\",\"record_count\":3,\"records\":[\"bafka\",\"bafkb\",\"bafkc\"]}\n");
    assertThat(DatasetManifest.fromBytes(a.toBytes())).isEqualTo(b);
  }

  @Test
  void unknownVersionAndFormatAreRejected() {
    assertThatThrownBy(() -> DatasetManifest.fromBytes("{\"format\":\"ledgerlake.dataset-manifest\",\"version\":2}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> DatasetManifest.fromBytes("{\"format\":\"other\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a dataset manifest");
    assertThatThrownBy(() -> DatasetManifest.fromBytes("{\"format\":\"ledgerlake.dataset-manifest\",\"version\":1,\"record_count\":5,\"records\":[\"a\"]}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("inconsistent");
  }
}
