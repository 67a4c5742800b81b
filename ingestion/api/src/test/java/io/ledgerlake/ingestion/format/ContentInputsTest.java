package io.ledgerlake.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.testing.CollectingVisitor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ContentInputsTest {
  @Test
  void streamOnlyContentSpillsForRandomAccess() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a.jsonl", "{\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
    byte[] zip = ArchiveParserTest.zip(files);
    AtomicInteger opens = new AtomicInteger();
    ContentInput input = ContentInputs.ofStreams(() -> {
      opens.incrementAndGet();
      return new ByteArrayInputStream(zip);
    }, -1);
    try (SeekableByteChannel channel = input.openChannel()) {
      assertThat(channel.size()).isEqualTo(zip.length);
      channel.position(zip.length - 22); // end of central directory record
      ByteBuffer signature = ByteBuffer.allocate(4);
      channel.read(signature);
      assertThat(signature.array()).containsExactly(0x50, 0x4b, 0x05, 0x06);
    }
    CollectingVisitor v = new CollectingVisitor();
    UploadParser.create(ParseLimits.defaults()).parse(DataFormat.JSONL, "application/zip", input, v);
    assertThat(v.records).hasSize(1);
    assertThat(opens.get()).isGreaterThanOrEqualTo(2);
  }
}
