package io.ledgerlake.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.content.testing.SeededBytes;
import io.ledgerlake.content.testing.Vectors;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The 1 GiB fixtures (links x chunk for unixfs-v1-2025): too slow for unit tests. */
class LargeReferenceVectorsITCase {
  static Stream<Vectors.FileCase> largeFiles() {
    return Vectors.files().stream().filter(Vectors.FileCase::large);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("largeFiles")
  void largeFileCidMatchesReference(Vectors.FileCase c) throws IOException {
    ImportedNode node = new FileImporter(c.profile(), BlockSink.DISCARD).importFrom(new SeededBytes(c.seed(), c.size()));
    assertThat(node.cid().toString()).isEqualTo(c.cid());
    assertThat(node.contentBytes()).isEqualTo(c.size());
  }
}
