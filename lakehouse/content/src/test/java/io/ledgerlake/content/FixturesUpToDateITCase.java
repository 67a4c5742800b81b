package io.ledgerlake.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.content.testing.NodeScripts;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Regenerates the committed CID fixtures with the reference JS importer and requires them unchanged. */
class FixturesUpToDateITCase {
  @Test
  void committedVectorsAreWhatTheReferenceImporterProduces() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String fresh = NodeScripts.run(300, "gen-vectors.mjs");
    try (InputStream committed = getClass().getResourceAsStream("/content/unixfs-vectors.json")) {
      assertThat(json.readTree(fresh)).isEqualTo(json.readTree(committed));
    }
  }
}
