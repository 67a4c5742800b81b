package io.ledgerlake.rag.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM-L6-v2 from the langchain4j jar: shape, normalisation, and that meaning drives similarity. */
class SentenceEmbedderTest {
  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void vectorsAre384DimensionalUnitLengthAndSimilarSentencesScoreHigher() {
    SentenceEmbedder e = SentenceEmbedder.shared();
    List<float[]> v = e.embed(List.of(
        "The cat sits on the mat.",
        "A kitten is resting on a rug.",
        "Quarterly revenue grew by eight percent on strong bond trading.",
        "The bank's profits rose thanks to its trading desk."));
    assertThat(v).hasSize(4);
    for (float[] x : v) {
      assertThat(x).hasSize(384);
      assertThat(dot(x, x)).isCloseTo(1.0, within(1e-5));
    }
    assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.2)
        .isGreaterThan(dot(v.get(0), v.get(3)) + 0.2);
    assertThat(dot(v.get(2), v.get(3))).isGreaterThan(dot(v.get(2), v.get(1)) + 0.2);
    assertThat(e.modelSha256()).matches("[0-9a-f]{64}");
    // batched and one-at-a-time give the same vector
    assertThat(dot(e.embed("The cat sits on the mat."), v.get(0))).isCloseTo(1.0, within(1e-5));
  }
}
