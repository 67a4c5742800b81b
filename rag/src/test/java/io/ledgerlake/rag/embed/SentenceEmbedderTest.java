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

  @Test
  void chunksFitTheModelsWindowCoverTheWholeTextAndMapBackToIt() {
    SentenceEmbedder e = SentenceEmbedder.shared();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      // words of several pieces, punctuation, and characters outside the BMP (two UTF-16 units each)
      sb.append(i % 7 == 0 ? "unbelievably" : "word" + i).append(i % 11 == 0 ? ", " : " ").append(i % 50 == 0 ? "😀 " : "");
    }
    String text = sb.toString().strip();
    TextChunker.Tokens all = e.tokens(text);
    assertThat(all.size()).isGreaterThan(600);
    List<String> chunks = e.chunker().chunks(text, all);
    assertThat(chunks).hasSizeGreaterThan(5);
    int covered = 0;
    for (String chunk : chunks) {
      assertThat(text).contains(chunk);
      // the chunk tokenizes to at most the window, so the model's truncation never cuts it
      assertThat(e.tokens(chunk).size()).isLessThanOrEqualTo(126);
      covered = Math.max(covered, text.indexOf(chunk, Math.max(0, covered - chunk.length())) + chunk.length());
    }
    assertThat(covered).isEqualTo(text.length());
    // the last chunk is not a truncated copy of another: its vector differs from the first's
    assertThat(dot(e.embed(chunks.get(0)), e.embed(chunks.get(chunks.size() - 1)))).isLessThan(0.99);
  }
}
