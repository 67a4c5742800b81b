package io.ledgerlake.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.record.RejectionCode;
import io.ledgerlake.ingestion.testing.CollectingVisitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentParserTest {
  @Test
  void wholeDocumentIsOneRecordAndOversizedOrInvalidOnesAreRejected() throws IOException {
    ParseLimits limits = new ParseLimits(1024, 10, 10, 1000, 100);
    DocumentParser parser = new DocumentParser(limits);
    CollectingVisitor v = new CollectingVisitor();
    parser.parse(ContentInputs.ofBytes("# hi\n".getBytes(StandardCharsets.UTF_8)), "", "text/markdown", v);
    parser.parse(ContentInputs.ofBytes("0123456789ABC".getBytes(StandardCharsets.UTF_8)), "big.txt", "", v);
    parser.parse(ContentInputs.ofBytes(new byte[] {'a', (byte) 0xC0}), "bad.txt", "", v);
    assertThat(v.records).singleElement().satisfies(r -> {
      assertThat(r.value().get("text").asText()).isEqualTo("# hi\n");
      assertThat(r.value().get("media_type").asText()).isEqualTo("text/markdown");
    });
    assertThat(v.rejections).extracting(r -> r.code())
        .containsExactly(RejectionCode.RECORD_TOO_LARGE, RejectionCode.INVALID_UTF8);
    assertThat(v.rejections.get(0).reason()).contains("Document is 13 bytes");
  }
}
