package io.ledgerlake.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.testing.CollectingVisitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineRangesTest {
  /** Bad lines, multi-byte UTF-8 (2, 3 and 4 bytes), CRLF, blank lines and a last line without newline. */
  private static final byte[] UPLOAD = ("{\"a\":\"é\"}\r\n{\"b\":\"日本語テキスト\"}\n\n{bad json\n"
      + "{\"c\":\"😀😀😀\"}\r\n[1,2]\n{\"d\":\"ü\"}\n   \n{\"e\":1}").getBytes(StandardCharsets.UTF_8);

  @Test
  void rangesCoverTheUploadExactlyOnceAndEndAfterANewline() {
    Random random = new Random(17);
    for (int round = 0; round < 500; round++) {
      byte[] bytes = randomUpload(random);
      int parts = 1 + random.nextInt(8);
      List<LineRanges.Range> ranges = LineRanges.split(bytes, parts);
      assertThat(ranges).isNotEmpty().hasSizeLessThanOrEqualTo(parts);
      long expectedStart = 0;
      for (LineRanges.Range range : ranges) {
        assertThat(range.start()).isEqualTo(expectedStart);
        assertThat(range.firstLine()).isEqualTo(1 + newlines(bytes, 0, (int) range.start()));
        if (range.start() > 0) {
          assertThat(bytes[(int) range.start() - 1]).isEqualTo((byte) '\n');
        }
        expectedStart = range.end();
      }
      assertThat(expectedStart).isEqualTo(bytes.length);
    }
  }

  @Test
  void parsingEachRangeGivesTheSequentialLinesOffsetsAndRejections() throws IOException {
    List<String> sequential = describe(parse(UPLOAD), 0, 1);
    for (int parts = 1; parts <= UPLOAD.length + 1; parts++) {
      List<String> split = new ArrayList<>();
      for (LineRanges.Range range : LineRanges.split(UPLOAD, parts)) {
        byte[] slice = Arrays.copyOfRange(UPLOAD, (int) range.start(), (int) range.end());
        split.addAll(describe(parse(slice), range.start(), range.firstLine()));
      }
      assertThat(split).as("parts=%d", parts).isEqualTo(sequential);
    }
  }

  @Test
  void emptyUploadIsOneEmptyRange() {
    assertThat(LineRanges.split(new byte[0], 4)).containsExactly(new LineRanges.Range(0, 0, 1));
  }

  private static CollectingVisitor parse(byte[] bytes) throws IOException {
    CollectingVisitor visitor = new CollectingVisitor();
    new JsonLinesParser(ParseLimits.defaults()).parse(ContentInputs.ofBytes(bytes), "", "", visitor);
    return visitor;
  }

  /** Records and rejections in file order, shifted by the range's start offset and first line. */
  private static List<String> describe(CollectingVisitor v, long offset, long firstLine) {
    List<String> out = new ArrayList<>();
    v.records.forEach(r -> out.add((r.position().line() + firstLine - 1) + "@" + (r.position().byteOffset() + offset)
        + " " + r.value()));
    v.rejections.forEach(r -> out.add((r.position().line() + firstLine - 1) + "@" + (r.position().byteOffset() + offset)
        + " " + r.code()));
    out.sort(null);
    return out;
  }

  private static byte[] randomUpload(Random random) {
    StringBuilder text = new StringBuilder();
    int lines = random.nextInt(20);
    for (int i = 0; i < lines; i++) {
      text.append("x".repeat(random.nextInt(10))).append(random.nextBoolean() ? "é" : "😀");
      text.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
    }
    if (random.nextBoolean()) {
      text.append("tail");
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long newlines(byte[] bytes, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}
