package io.ledgerlake.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.content.Profile;
import io.ledgerlake.content.testing.SeededBytes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class FileImporterTest {
  /** Fails after {@code failAfter} bytes. */
  private static InputStream failing(long failAfter) {
    return new InputStream() {
      private final InputStream data = new SeededBytes(1, Long.MAX_VALUE);
      private long read;

      @Override
      public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (read >= failAfter) {
          throw new IOException("disk on fire");
        }
        int n = data.read(b, off, (int) Math.min(len, failAfter - read));
        read += n;
        return n;
      }
    };
  }

  @Test
  void anInstanceSurvivesFailedImportsAndStillGivesTheRightCid() throws IOException {
    FileImporter importer = new FileImporter(Profile.UNIXFS_V1_2025, BlockSink.DISCARD, 2);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> importer.importFrom(failing(3L << 20))).hasMessageContaining("disk on fire");
    }
    ImportedNode ok = importer.importFrom(new SeededBytes(5, 3 * (1 << 20) + 1));
    ImportedNode reference = new FileImporter(Profile.UNIXFS_V1_2025, BlockSink.DISCARD, 1)
        .importFrom(new SeededBytes(5, 3 * (1 << 20) + 1));
    assertThat(ok).isEqualTo(reference);
  }

  @Test
  void parallelImportHandsEveryBlockToTheSinkOnce() throws IOException {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    BlockSink sink = (cid, segments) -> assertThat(seen.add(cid.toString())).as("duplicate " + cid).isTrue();
    ImportedNode node = new FileImporter(Profile.UNIXFS_V0_2015, sink, 3).importFrom(new SeededBytes(6, 200L * (256 << 10)));
    // 200 distinct leaves, 2 interior nodes (174 + 26 links), 1 root
    assertThat(seen).hasSize(200 + 2 + 1).contains(node.cid().toString());
  }
}
