package io.ledgerlake.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.record.RejectionCode;
import io.ledgerlake.ingestion.testing.CollectingVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JsonLinesParserTest {
  private final JsonLinesParser parser = new JsonLinesParser(ParseLimits.defaults().withMaxRecordBytes(1024));

  private CollectingVisitor parse(byte[] bytes) throws IOException {
    CollectingVisitor visitor = new CollectingVisitor();
    parser.parse(ContentInputs.ofBytes(bytes), "", "", visitor);
    return visitor;
  }

  @Test
  void goodLinesBecomeRecordsWithPositions() throws IOException {
    CollectingVisitor v = parse("{\"a\":1}\r\n\n{\"a\":2}\n{\"a\":3}".getBytes(StandardCharsets.UTF_8));
    assertThat(v.rejections).isEmpty();
    assertThat(v.records).hasSize(3);
    assertThat(v.records.get(1).position().line()).isEqualTo(3);
    assertThat(v.records.get(1).position().byteOffset()).isEqualTo(10);
    assertThat(v.records.get(2).value().get("a").asInt()).isEqualTo(3);
  }

  @Test
  void malformedJsonIsRejectedPerLineAndParsingContinues() throws IOException {
    CollectingVisitor v = parse(("{\"a\":1}\n{\"a\":\n[1,2]\n{\"a\":1,\"a\":2}\n{\"b\":2}\n{\"c\":1} {\"d\":2}\nnull\n")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(v.records).hasSize(2);
    assertThat(v.rejections).extracting(r -> r.code()).containsExactly(RejectionCode.MALFORMED_JSON,
        RejectionCode.NOT_AN_OBJECT, RejectionCode.DUPLICATE_KEY, RejectionCode.MALFORMED_JSON,
        RejectionCode.NOT_AN_OBJECT);
    assertThat(v.rejections.get(0).position().line()).isEqualTo(2);
    assertThat(v.rejections.get(0).reason()).startsWith("Malformed JSON");
    assertThat(v.rejections.get(2).reason()).contains("Duplicate field 'a'");
  }

  @Test
  void invalidUtf8IsRejectedWithItsByteOffset() throws IOException {
    byte[] good = "{\"a\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
    byte[] all = concat(good, bad, good);
    CollectingVisitor v = parse(all);
    assertThat(v.records).hasSize(2);
    assertThat(v.rejections).singleElement().satisfies(r -> {
      assertThat(r.code()).isEqualTo(RejectionCode.INVALID_UTF8);
      assertThat(r.position().line()).isEqualTo(2);
      assertThat(r.reason()).contains("byte offset " + (good.length + 6)).contains("0xc3");
    });
  }

  @Test
  void tenMegabyteLineIsRejectedWithoutBufferingIt() throws IOException {
    long tenMb = 10L << 20;
    // A stream that produces a 10 MiB line lazily; a read-through parser holding it would still pass, so the
    // limit here is 1 KiB and the reason must carry the full length, which is only known by counting past the limit.
    InputStream huge = new SequenceInputStream(new SequenceInputStream(
        new java.io.ByteArrayInputStream("{\"a\":1}\n{\"big\":\"".getBytes(StandardCharsets.UTF_8)),
        new RepeatingStream((byte) 'x', tenMb)),
        new java.io.ByteArrayInputStream("\"}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8)));
    CollectingVisitor v = new CollectingVisitor();
    parser.parse(new OneShotInput(huge), "", "", v);
    assertThat(v.records).hasSize(2);
    assertThat(v.rejections).singleElement().satisfies(r -> {
      assertThat(r.code()).isEqualTo(RejectionCode.RECORD_TOO_LARGE);
      assertThat(r.position().line()).isEqualTo(2);
      assertThat(r.reason()).contains("Line is " + (tenMb + 10) + " bytes")
          .contains("ledgerlake.ingestion.max-record-bytes=1024");
    });
  }

  @Test
  void visitorCanStopEarly() throws IOException {
    int[] seen = {0};
    boolean finished = parser.parse(ContentInputs.ofBytes("{}\n{}\n{}\n".getBytes(StandardCharsets.UTF_8)), "", "",
        new io.ledgerlake.ingestion.record.RecordVisitor() {
          @Override
          public boolean onRecord(io.ledgerlake.ingestion.record.ParsedRecord record) {
            return ++seen[0] < 2;
          }

          @Override
          public boolean onRejection(io.ledgerlake.ingestion.record.Rejection rejection) {
            return true;
          }
        });
    assertThat(finished).isFalse();
    assertThat(seen[0]).isEqualTo(2);
  }

  static byte[] concat(byte[]... parts) {
    int total = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    ByteBuffer out = ByteBuffer.allocate(total);
    for (byte[] p : parts) {
      out.put(p);
    }
    return out.array();
  }

  /** Produces {@code count} copies of one byte without allocating them. */
  static final class RepeatingStream extends InputStream {
    private final byte value;
    private long remaining;

    RepeatingStream(byte value, long count) {
      this.value = value;
      this.remaining = count;
    }

    @Override
    public int read() {
      if (remaining <= 0) {
        return -1;
      }
      remaining--;
      return value;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      Arrays.fill(b, off, off + n, value);
      remaining -= n;
      return n;
    }
  }

  /** A stream-only input, as an upload body is. */
  static final class OneShotInput implements ContentInput {
    private final InputStream in;

    OneShotInput(InputStream in) {
      this.in = in;
    }

    @Override
    public InputStream openStream() {
      return in;
    }

    @Override
    public SeekableByteChannel openChannel() {
      throw new UnsupportedOperationException("stream only");
    }

    @Override
    public long size() {
      return -1;
    }
  }
}
