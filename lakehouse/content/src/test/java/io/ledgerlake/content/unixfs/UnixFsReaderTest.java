package io.ledgerlake.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.content.Profile;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.testing.SeededBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UnixFsReaderTest {
  /** 200 leaves of 256 KiB and a short one: a root over two interior nodes (174 + 27 links). */
  static final long SIZE = 200L * (256 << 10) + 12_345;
  static final Map<String, byte[]> BLOCKS = new ConcurrentHashMap<>();
  static byte[] bytes;
  static Cid root;

  @BeforeAll
  static void importFile() throws IOException {
    BlockSink sink = (cid, segments) -> {
      int n = Arrays.stream(segments).mapToInt(ByteBuffer::remaining).sum();
      ByteBuffer all = ByteBuffer.allocate(n);
      for (ByteBuffer s : segments) {
        all.put(s.duplicate());
      }
      BLOCKS.put(cid.toString(), all.array());
    };
    root = new FileImporter(Profile.UNIXFS_V0_2015, sink, 1).importFrom(new SeededBytes(9, SIZE)).cid();
    bytes = new SeededBytes(9, SIZE).readAllBytes();
  }

  @Test
  void skipThenReadGivesTheBytesFromThatOffsetAndFetchesOnlyThePathThere() throws IOException {
    long leaf = 256 << 10;
    long[] offsets = {0, 1, leaf - 1, leaf, leaf + 1, 174 * leaf, 174 * leaf + 5, 199 * leaf + 7, SIZE - 1, SIZE};
    for (long offset : offsets) {
      AtomicInteger fetches = new AtomicInteger();
      UnixFsReader reader = new UnixFsReader(cid -> {
        fetches.incrementAndGet();
        return BLOCKS.get(cid.toString());
      }, root);
      reader.skipNBytes(offset);
      assertThat(fetches.get()).as("blocks fetched to skip %d bytes", offset).isLessThanOrEqualTo(3);
      byte[] rest = reader.readAllBytes();
      assertThat(rest).as("bytes after offset %d", offset).isEqualTo(Arrays.copyOfRange(bytes, (int) offset, bytes.length));
    }
  }

  @Test
  void skipPastTheEndStopsThere() throws IOException {
    UnixFsReader reader = new UnixFsReader(cid -> BLOCKS.get(cid.toString()), root);
    assertThat(reader.skip(SIZE + 1000)).isEqualTo(SIZE);
    assertThat(reader.read()).isEqualTo(-1);
  }
}
