package io.ledgerlake.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.testing.CollectingVisitor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CSV cut by {@link LineRanges#splitCsv} and parsed range by range gives the sequential parse. */
class CsvRangesTest {
  private final CsvParser parser = new CsvParser(ParseLimits.defaults());

  @Test
  void everyCutGivesTheSequentialRecordsPositionsAndRejections() throws IOException {
    Random random = new Random(23);
    for (int round = 0; round < 60; round++) {
      byte[] csv = randomCsv(random);
      List<String> sequential = parse(csv).describe(0);
      for (long target = 1; target <= csv.length + 1; target += 1 + random.nextInt(9)) {
        List<LineRanges.Range> ranges = LineRanges.splitCsv(new ByteArrayInputStream(csv), target);
        List<String> split = new ArrayList<>();
        long ordinalsBefore = 0;
        long expectedStart = 0;
        for (LineRanges.Range range : ranges) {
          assertThat(range.start()).isEqualTo(expectedStart);
          expectedStart = range.end();
          CollectingVisitor visitor = new CollectingVisitor();
          parser.parseRange(ContentInputs.ofBytes(csv), range, visitor);
          split.addAll(visitor.describe(ordinalsBefore));
          ordinalsBefore += visitor.records.size() + visitor.rejections.size();
        }
        assertThat(expectedStart).isEqualTo(csv.length);
        assertThat(split).as("round %d, target %d, ranges %s", round, target, ranges).isEqualTo(sequential);
      }
    }
  }

  @Test
  void aQuotedNewlineIsNeverACut() throws IOException {
    byte[] csv = "id,text\n1,\"a\nb\"\n2,\"\"\"q\"\"\nx\"\n3,c\n".getBytes(StandardCharsets.UTF_8);
    List<LineRanges.Range> ranges = LineRanges.splitCsv(new ByteArrayInputStream(csv), 1);
    assertThat(ranges).extracting(LineRanges.Range::start).containsExactly(0L, 8L, 16L, 28L);
  }

  @Test
  void aBadHeaderRejectsEveryRange() throws IOException {
    byte[] csv = "id,id\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8);
    for (LineRanges.Range range : LineRanges.splitCsv(new ByteArrayInputStream(csv), 1)) {
      assertThatThrownBy(() -> parser.parseRange(ContentInputs.ofBytes(csv), range, new CollectingVisitor()))
          .isInstanceOf(InvalidContentException.class).hasMessageContaining("twice");
    }
  }

  private CollectingVisitor parse(byte[] csv) throws IOException {
    CollectingVisitor visitor = new CollectingVisitor();
    parser.parse(ContentInputs.ofBytes(csv), "", "text/csv", visitor);
    return visitor;
  }


  /** A header and rows: plain, quoted with newlines and doubled quotes, wrong column counts, blank lines, CRLF, UTF-8. */
  private static byte[] randomCsv(Random random) {
    StringBuilder sb = new StringBuilder("id,text\n");
    int rows = random.nextInt(25);
    for (int i = 0; i < rows; i++) {
      switch (random.nextInt(7)) {
        case 0 -> sb.append(i).append(",\"multi\nline ").append(i).append("\"\n");
        case 1 -> sb.append(i).append(",\"say \"\"hi\"\"\r\nthen é\"\r\n");
        case 2 -> sb.append(i).append(",too,many\n");
        case 3 -> sb.append("\n");
        case 4 -> sb.append(i).append(",日本 😀\r\n");
        default -> sb.append(i).append(",plain ").append(i).append('\n');
      }
    }
    if (random.nextBoolean()) {
      sb.append(rows).append(",no newline at the end");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
