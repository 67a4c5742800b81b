package io.ledgerlake.ingestion.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedRangeTest {
  @Test
  void roundTripKeepsOrderAndShiftsOrdinals() {
    ParsedRange.Writer writer = new ParsedRange.Writer();
    writer.record(RecordPosition.ofLine("", 1, 40, 4000), "bafkrei-a", "{\"a\":\"é 😀\"}".getBytes(StandardCharsets.UTF_8));
    writer.rejection(new Rejection(RecordPosition.ofLine("", 2, 42, 4100), RejectionCode.MALFORMED_JSON, "bad ✗"));
    writer.record(RecordPosition.ofLine("", 3, 43, 4200), "bafkrei-b", new byte[0]);
    // An archive entry's ordinals are its own: not shifted.
    writer.rejection(new Rejection(RecordPosition.ofLine("dir/é.jsonl", 7, 9, 80), RejectionCode.MALFORMED_JSON, "x"));
    writer.record(RecordPosition.ofRow("t.parquet", 5), "bafkrei-c", new byte[] {'{', '}'});
    assertThat(writer.items()).isEqualTo(5);

    List<String> seen = new ArrayList<>();
    ParsedRange.read(writer.toByteArray(), 100, new ParsedRange.Reader() {
      @Override
      public void accepted(RecordPosition position, String cid, byte[] json) {
        seen.add("R " + position.ordinal() + " " + position + " " + cid + " " + new String(json, StandardCharsets.UTF_8));
      }

      @Override
      public void rejected(Rejection rejection) {
        seen.add("X " + rejection.position().ordinal() + " " + rejection.position() + " " + rejection.code() + " "
            + rejection.reason());
      }
    });
    assertThat(seen).containsExactly(
        "R 101 line 40 (byte 4000) bafkrei-a {\"a\":\"é 😀\"}",
        "X 102 line 42 (byte 4100) MALFORMED_JSON bad ✗",
        "R 103 line 43 (byte 4200) bafkrei-b ",
        "X 7 entry dir/é.jsonl line 9 (byte 80) MALFORMED_JSON x",
        "R 5 entry t.parquet record 5 bafkrei-c {}");
  }

  @Test
  void anotherVersionOrATruncatedRangeIsRefused() {
    ParsedRange.Writer writer = new ParsedRange.Writer();
    writer.record(RecordPosition.ofLine("", 1, 1, 0), "cid", new byte[] {'{', '}'});
    byte[] bytes = writer.toByteArray();
    ParsedRange.Reader ignore = new ParsedRange.Reader() {
      @Override
      public void accepted(RecordPosition position, String cid, byte[] json) {}

      @Override
      public void rejected(Rejection rejection) {}
    };
    byte[] other = bytes.clone();
    other[0] = 1;
    assertThatThrownBy(() -> ParsedRange.read(other, 0, ignore)).hasMessageContaining("version 1");
    assertThatThrownBy(() -> ParsedRange.read(java.util.Arrays.copyOf(bytes, bytes.length - 1), 0, ignore))
        .hasMessageContaining("truncated");
  }
}
