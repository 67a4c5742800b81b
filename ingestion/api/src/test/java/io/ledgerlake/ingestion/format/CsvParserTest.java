package io.ledgerlake.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.record.RejectionCode;
import io.ledgerlake.ingestion.testing.CollectingVisitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvParserTest {
  private final CsvParser parser = new CsvParser(ParseLimits.defaults().withMaxRecordBytes(64));

  private CollectingVisitor parse(String csv) throws IOException {
    return parse(csv.getBytes(StandardCharsets.UTF_8));
  }

  private CollectingVisitor parse(byte[] csv) throws IOException {
    CollectingVisitor visitor = new CollectingVisitor();
    parser.parse(ContentInputs.ofBytes(csv), "data.csv", "", visitor);
    return visitor;
  }

  @Test
  void rowsBecomeTextualRecordsKeyedByHeader() throws IOException {
    CollectingVisitor v = parse("id,name,note\r\n1,Ada,\"likes, commas\"\n2,Bob,\"say \"\"hi\"\"\nsecond line\"\n");
    assertThat(v.rejections).isEmpty();
    assertThat(v.records).hasSize(2);
    assertThat(v.records.get(0).textual()).isTrue();
    assertThat(v.records.get(0).value().toString()).isEqualTo("{\"id\":\"1\",\"name\":\"Ada\",\"note\":\"likes, commas\"}");
    assertThat(v.records.get(1).value().get("note").asText()).isEqualTo("say \"hi\"\nsecond line");
    assertThat(v.records.get(1).position().line()).isEqualTo(3);
    assertThat(v.records.get(1).position().entry()).isEqualTo("data.csv");
  }

  @Test
  void wrongColumnCountIsRejectedWithTheRowsLine() throws IOException {
    CollectingVisitor v = parse("a,b,c\n1,2,3\n1,2\n1,2,3,4\n7,8,9\n");
    assertThat(v.records).hasSize(2);
    assertThat(v.rejections).hasSize(2).allSatisfy(r -> assertThat(r.code()).isEqualTo(RejectionCode.WRONG_COLUMN_COUNT));
    assertThat(v.rejections.get(0).position().line()).isEqualTo(3);
    assertThat(v.rejections.get(0).reason()).contains("Row has 2 fields but the header has 3 [a, b, c]");
  }

  @Test
  void malformedQuotingAndInvalidUtf8AreRejectedPerRecord() throws IOException {
    byte[] bytes = JsonLinesParserTest.concat("a,b\nx\"y\",1\n".getBytes(StandardCharsets.UTF_8),
        new byte[] {'o', 'k', ',', (byte) 0xFF, '\n'}, "\"q\"z,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
    CollectingVisitor v = parse(bytes);
    assertThat(v.rejections).extracting(r -> r.code()).containsExactly(
        RejectionCode.MALFORMED_CSV, RejectionCode.INVALID_UTF8, RejectionCode.MALFORMED_CSV);
    assertThat(v.rejections.get(0).reason()).contains("Quote inside an unquoted field");
    assertThat(v.rejections.get(2).reason()).contains("after a closing quote");
    assertThat(v.records).extracting(r -> r.value().get("a").asText()).containsExactly("3");
  }

  @Test
  void oversizedRecordIsRejectedAndParsingResynchronizes() throws IOException {
    String longField = "x".repeat(200);
    CollectingVisitor v = parse("a,b\n1,\"" + longField + "\n" + longField + "\"\n2,3\n");
    assertThat(v.rejections).singleElement().satisfies(r -> {
      assertThat(r.code()).isEqualTo(RejectionCode.RECORD_TOO_LARGE);
      assertThat(r.position().line()).isEqualTo(2);
    });
    assertThat(v.records).extracting(r -> r.value().get("a").asText()).containsExactly("2");
  }

  @Test
  void badHeadersFailTheWholeFile() {
    assertThatThrownBy(() -> parse("a,a\n1,2\n")).isInstanceOf(InvalidContentException.class)
        .hasMessageContaining("names column 'a' twice");
    assertThatThrownBy(() -> parse("")).isInstanceOf(InvalidContentException.class)
        .hasMessageContaining("first line must be a header");
  }
}
