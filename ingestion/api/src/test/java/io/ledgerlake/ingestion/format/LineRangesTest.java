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
  void parsingEachRangeGivesTheSequentialPositionsAndRejections() throws IOException {
    List<String> sequential = parse(UPLOAD).describe(0);
    JsonLinesParser parser = new JsonLinesParser(ParseLimits.defaults());
    for (int parts = 1; parts <= UPLOAD.length + 1; parts++) {
      List<String> split = new ArrayList<>();
      long ordinalsBefore = 0;
      for (LineRanges.Range range : LineRanges.split(UPLOAD, parts)) {
        CollectingVisitor visitor = new CollectingVisitor();
        parser.parseRange(ContentInputs.ofBytes(UPLOAD), range, visitor);
        split.addAll(visitor.describe(ordinalsBefore));
        // The renumbering rule of the parallel ingestion job: every ordinal is reported once.
        ordinalsBefore += visitor.records.size() + visitor.rejections.size();
      }
      assertThat(split).as("parts=%d", parts).isEqualTo(sequential);
    }
  }

  @Test
  void streamSplitCutsAfterTheFirstNewlineAtOrPastTheTarget() throws IOException {
    byte[] bytes = "aa\nbbbb\nc\n\ndddddd".getBytes(StandardCharsets.UTF_8);
    assertThat(LineRanges.split(new java.io.ByteArrayInputStream(bytes), 4))
        .containsExactly(new LineRanges.Range(0, 8, 1), new LineRanges.Range(8, 17, 3));
    assertThat(LineRanges.split(new java.io.ByteArrayInputStream(bytes), 2))
        .containsExactly(new LineRanges.Range(0, 3, 1), new LineRanges.Range(3, 8, 2),
            new LineRanges.Range(8, 10, 3), new LineRanges.Range(10, 17, 4));
    assertThat(LineRanges.split(new java.io.ByteArrayInputStream(bytes), 100))
        .containsExactly(new LineRanges.Range(0, 17, 1));
    // A cut at the very end leaves no empty trailing range.
    assertThat(LineRanges.split(new java.io.ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)), 1))
        .containsExactly(new LineRanges.Range(0, 2, 1), new LineRanges.Range(2, 4, 2));
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
