package io.ledgerlake.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.content.testing.SeededBytes;
import io.ledgerlake.content.testing.Vectors;
import io.ledgerlake.content.testing.ImportMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

  /** Streaming import: 1 GiB goes through a JVM limited to a 48 MiB heap. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("largeFiles")
  void memoryDoesNotGrowWithFileSize(Vectors.FileCase c) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
        ImportMain.class.getName(), c.profile().id(), String.valueOf(c.seed()), String.valueOf(c.size()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.strip().lines().reduce((a, b) -> b).orElse("")).isEqualTo(c.cid());
  }
}
