package io.ledgerlake.ingestion.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.EventFormatException;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.schema.FieldType;
import io.ledgerlake.ingestion.schema.SchemaField;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubmissionEventSerializerTest {
  static final SubmissionEvent EVENT = new SubmissionEvent("sub-1", "ds-1",
      "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01", "bafkreiexample", 1234, DataFormat.JSONL,
      "application/x-ndjson", "data.jsonl", Instant.parse("2026-11-22T01:02:03.456Z"),
      new DatasetSchema(List.of(new SchemaField("id", FieldType.LONG, true)), false));

  /** Version 1 bytes as written by this release; must stay readable forever. */
  static final String GOLDEN_V1_BODY = "{\"byteCount\":1234,\"cid\":\"bafkreiexample\","
      + "\"contentType\":\"application/x-ndjson\",\"contributor\":\"0xabcdef0123456789abcdef0123456789abcdef01\","
      + "\"datasetId\":\"ds-1\",\"fileName\":\"data.jsonl\",\"format\":\"jsonl\",\"receivedAt\":\"2026-11-22T01:02:03.456Z\","
      + "\"schema\":{\"additionalFields\":false,\"fields\":[{\"name\":\"id\",\"required\":true,\"type\":\"long\"}],"
      + "\"version\":1},\"submissionId\":\"sub-1\"}";

  @Test
  void roundTrips() {
    assertThat(SubmissionEventSerializer.deserialize(SubmissionEventSerializer.serialize(EVENT))).isEqualTo(EVENT);
  }

  @Test
  void version1BytesAreStable() {
    byte[] bytes = SubmissionEventSerializer.serialize(EVENT);
    assertThat(bytes[0]).isEqualTo((byte) 1);
    assertThat(new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8)).isEqualTo(GOLDEN_V1_BODY);
    byte[] golden = ("\u0001" + GOLDEN_V1_BODY).getBytes(StandardCharsets.UTF_8);
    assertThat(SubmissionEventSerializer.deserialize(golden)).isEqualTo(EVENT);
  }

  @Test
  void unknownVersionsAndCorruptBytesFailClearly() {
    byte[] bytes = SubmissionEventSerializer.serialize(EVENT);
    bytes[0] = 9;
    assertThatThrownBy(() -> SubmissionEventSerializer.deserialize(bytes))
        .isInstanceOf(EventFormatException.class).hasMessageContaining("unknown version 9");
    byte[] truncated = Arrays.copyOf(SubmissionEventSerializer.serialize(EVENT), 40);
    assertThatThrownBy(() -> SubmissionEventSerializer.deserialize(truncated))
        .isInstanceOf(EventFormatException.class).hasMessageContaining("corrupt");
    assertThatThrownBy(() -> SubmissionEventSerializer.deserialize(new byte[0]))
        .isInstanceOf(EventFormatException.class);
  }
}
