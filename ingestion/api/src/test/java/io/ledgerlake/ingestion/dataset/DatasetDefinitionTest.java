package io.ledgerlake.ingestion.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.schema.FieldType;
import io.ledgerlake.ingestion.schema.SchemaField;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatasetDefinitionTest {
  private static final String OWNER = "0x1111111111111111111111111111111111111111";
  private static final String FRIEND = "0x2222222222222222222222222222222222222222";
  private static final String STRANGER = "0x3333333333333333333333333333333333333333";

  @Test
  void jsonRoundTripWithAndWithoutSchema() {
    DatasetDefinition dataset = new DatasetDefinition("ds-1", "Reviews", "desc", DataFormat.CSV, Optional.empty(),
        "{\"labels\":[\"pos\",\"neg\"]}", Visibility.PRIVATE, OWNER.toUpperCase().replace("0X", "0x"),
        SubmitPolicy.allowlist(List.of(FRIEND)), Instant.parse("2026-11-22T00:00:00Z"));
    assertThat(DatasetDefinition.fromJson(dataset.toJson())).isEqualTo(dataset);
    DatasetDefinition withSchema = dataset.withSchema(
        new DatasetSchema(List.of(new SchemaField("a", FieldType.STRING, true)), true));
    assertThat(DatasetDefinition.fromJson(withSchema.toJson())).isEqualTo(withSchema);
  }

  @Test
  void allowlistAndVisibility() {
    SubmitPolicy allowlist = SubmitPolicy.allowlist(List.of(FRIEND.toUpperCase().replace("0X", "0x")));
    assertThat(allowlist.admits(OWNER, OWNER)).isTrue();
    assertThat(allowlist.admits(OWNER, FRIEND)).isTrue();
    assertThat(allowlist.admits(OWNER, STRANGER)).isFalse();
    assertThat(SubmitPolicy.open().admits(OWNER, STRANGER)).isTrue();
    DatasetDefinition privateDataset = new DatasetDefinition("d", "n", "", DataFormat.JSONL, Optional.empty(), "",
        Visibility.PRIVATE, OWNER, allowlist, Instant.EPOCH);
    assertThat(privateDataset.readableBy(Optional.empty())).isFalse();
    assertThat(privateDataset.readableBy(Optional.of(STRANGER))).isFalse();
    assertThat(privateDataset.readableBy(Optional.of(FRIEND))).isTrue();
  }
}
