package io.ledgerlake.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.content.testing.SeededBytes;
import io.ledgerlake.content.testing.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our importer must give exactly the CIDs the reference JS importer gave (fixtures from src/test/js). */
class ReferenceVectorsTest {
  static Stream<Vectors.FileCase> smallFiles() {
    return Vectors.files().stream().filter(c -> !c.large());
  }

  static Stream<Vectors.DirCase> directories() {
    return Vectors.directories().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smallFiles")
  void fileCidMatchesReference(Vectors.FileCase c) throws IOException {
    ImportedNode node = new FileImporter(c.profile(), BlockSink.DISCARD).importFrom(new SeededBytes(c.seed(), c.size()));
    assertThat(node.cid().toString()).isEqualTo(c.cid());
    assertThat(node.contentBytes()).isEqualTo(c.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smallFiles")
  void sequentialImportGivesTheSameCid(Vectors.FileCase c) throws IOException {
    ImportedNode node = new FileImporter(c.profile(), BlockSink.DISCARD, 1).importFrom(new SeededBytes(c.seed(), c.size()));
    assertThat(node.cid().toString()).isEqualTo(c.cid());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("directories")
  void directoryCidMatchesReference(Vectors.DirCase c, @TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("root");
    c.create(root);
    ImportedNode node = new PathImporter(c.profile(), BlockSink.DISCARD).importPath(root);
    assertThat(node.cid().toString()).isEqualTo(c.cid());
  }
}
