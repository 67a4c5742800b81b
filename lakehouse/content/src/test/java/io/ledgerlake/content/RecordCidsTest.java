package io.ledgerlake.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordCidsTest {
  static String viaImporter(byte[] b) throws Exception {
    return ContentStore.cid(new ByteArrayInputStream(b), Profile.DEFAULT).cid().toString();
  }

  @Test
  void fastPathEqualsTheImporterAtEverySizeThatMatters() throws Exception {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 100, Profile.DEFAULT.chunkSize() - 1, Profile.DEFAULT.chunkSize(), Profile.DEFAULT.chunkSize() + 1}) {
      byte[] b = new byte[size];
      random.nextBytes(b);
      assertThat(RecordCids.of(b)).as("size %s", size).isEqualTo(viaImporter(b));
    }
  }

  @Test
  void knownVector() {
    // `ipfs add --cid-version 1 --raw-leaves` of the 5 bytes "hello" (unixfs-v1-2025).
    assertThat(RecordCids.of("hello".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq");
  }
}
