package io.ledgerlake.labeling.lang;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.GroundTruth;
import io.ledgerlake.labeling.label.Label;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LanguageLabelerTest {
  /** Stated floors: overall accuracy on the 10-language set, and per-language recall. */
  static final double MIN_ACCURACY = 0.95;
  static final double MIN_RECALL_PER_LANGUAGE = 0.75;

  private final LanguageLabeler labeler = new LanguageLabeler();

  @Test
  void groundTruthAccuracyAboveFloor() {
    List<String[]> rows = GroundTruth.rows("languages.tsv");
    Map<String, int[]> perLang = new TreeMap<>();
    int correct = 0;
    StringBuilder misses = new StringBuilder();
    for (String[] row : rows) {
      String got = labeler.label("cid", row[1]).get(0).value();
      int[] t = perLang.computeIfAbsent(row[0], k -> new int[2]);
      t[1]++;
      if (got.equals(row[0])) {
        t[0]++;
        correct++;
      } else {
        misses.append(row[0]).append("->").append(got).append(' ');
      }
    }
    assertThat(perLang).hasSizeGreaterThanOrEqualTo(5);
    assertThat((double) correct / rows.size()).as("accuracy; misses: %s", misses).isGreaterThanOrEqualTo(MIN_ACCURACY);
    perLang.forEach((lang, t) -> assertThat((double) t[0] / t[1]).as("recall of %s", lang)
        .isGreaterThanOrEqualTo(MIN_RECALL_PER_LANGUAGE));
  }

  @Test
  void labelCarriesNameVersionAndProbability() {
    Label l = labeler.label("bafy1", "Das ist ein ganz normaler deutscher Satz über das Wetter in Hamburg.").get(0);
    assertThat(l.recordCid()).isEqualTo("bafy1");
    assertThat(l.key()).isEqualTo("lang");
    assertThat(l.value()).isEqualTo("deu");
    assertThat(l.labelerId()).startsWith("lang@opennlp-langdetect-183");
    assertThat(l.score()).isGreaterThan(0).isLessThanOrEqualTo(1);
  }

  @Test
  void tooFewLettersIsUndetermined() {
    assertThat(labeler.label("c", "12345 !!! 678").get(0).value()).isEqualTo("und");
    assertThat(labeler.label("c", "").get(0).score()).isZero();
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    labeler.label("c", "warm up the transient detector before serializing the labeler");
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(labeler);
    }
    LanguageLabeler copy;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (LanguageLabeler) in.readObject();
    }
    assertThat(copy.label("c", "Questa è una frase italiana abbastanza lunga per essere riconosciuta.").get(0).value())
        .isEqualTo("ita");
    assertThat(copy.id()).isEqualTo(labeler.id());
  }
}
