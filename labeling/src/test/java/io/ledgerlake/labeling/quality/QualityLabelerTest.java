package io.ledgerlake.labeling.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.label.Label;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QualityLabelerTest {
  private final QualityLabeler labeler = new QualityLabeler();

  private static final String GOOD = String.join(" ",
      "The river runs through the valley and the farmers use its water to grow wheat and barley.",
      "In spring the snow melts in the mountains, so the river rises and sometimes floods the lower fields.",
      "Over many years the villagers built small walls of stone to protect their houses from the water.",
      "Children learn to swim in the calm pools near the old mill, which has been turning since the last century.",
      "Travelers who visit in autumn can taste the new bread and watch the harvest festival in the square.");

  private Map<String, Label> byKey(String text) {
    return labeler.label("cid", text).stream().collect(Collectors.toMap(Label::key, l -> l));
  }

  @Test
  void cleanProsePassesEveryRule() {
    Map<String, Label> labels = byKey(GOOD);
    assertThat(labels.get("quality").value()).isEqualTo("pass");
    assertThat(labels.get("quality").score()).isEqualTo(1.0);
    assertThat(labels.get("quality.word_count").score()).isBetween(80.0, 100.0);
    assertThat(labels.values()).allMatch(l -> l.labelerId().equals("quality@gopher-1"));
    assertThat(labels).hasSize(20);
  }

  @Test
  void tooFewWordsFails() {
    Map<String, Label> labels = byKey("Buy now. Great deals today.");
    assertThat(labels.get("quality.word_count").value()).isEqualTo("fail");
    assertThat(labels.get("quality.word_count").score()).isEqualTo(5.0);
    assertThat(labels.get("quality").value()).isEqualTo("fail");
  }

  @Test
  void meanWordLengthBounds() {
    String shortWords = "a b c d e f g h i j ".repeat(6);
    assertThat(byKey(shortWords).get("quality.mean_word_length").value()).isEqualTo("fail");
    String longWords = "supercalifragilisticexpialidocious ".repeat(60);
    assertThat(byKey(longWords).get("quality.mean_word_length").score()).isEqualTo(34.0);
    assertThat(byKey(longWords).get("quality.mean_word_length").value()).isEqualTo("fail");
  }

  @Test
  void hashtagsAndEllipsesCountAsSymbols() {
    String text = GOOD + " #news #sale #deal #free #win #now #best #top #hot #new #big";
    Label l = byKey(text).get("quality.symbol_to_word_ratio");
    assertThat(l.score()).isGreaterThan(0.1);
    assertThat(l.value()).isEqualTo("fail");
    assertThat(QualitySignals.measure("one two... three… four").symbolToWordRatio()).isEqualTo(0.5);
  }

  @Test
  void bulletAndEllipsisLineFractions() {
    StringBuilder bullets = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      bullets.append("• item number ").append(i).append(" with some words in it\n");
    }
    Map<String, Label> b = byKey(bullets.toString());
    assertThat(b.get("quality.bullet_line_fraction").score()).isEqualTo(1.0);
    assertThat(b.get("quality.bullet_line_fraction").value()).isEqualTo("fail");

    StringBuilder ellipsis = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      ellipsis.append("and then the story continues with line ").append(i).append(i % 2 == 0 ? "...\n" : ".\n");
    }
    Label e = byKey(ellipsis.toString()).get("quality.ellipsis_line_fraction");
    assertThat(e.score()).isEqualTo(0.5);
    assertThat(e.value()).isEqualTo("fail");
  }

  @Test
  void alphabeticWordFraction() {
    String numbers = "12 34 56 78 90 11 22 33 44 55 ".repeat(5) + GOOD;
    Label l = byKey(numbers).get("quality.alphabetic_word_fraction");
    assertThat(l.score()).isLessThan(0.8);
    assertThat(l.value()).isEqualTo("fail");
  }

  @Test
  void duplicateLinesAndParagraphs() {
    String para = "This paragraph repeats itself many times in the page.";
    String text = (para + "\n\n").repeat(5) + GOOD;
    Map<String, Label> labels = byKey(text);
    // 6 paragraphs, 4 of them repeats of the first
    assertThat(labels.get("quality.duplicate_paragraph_fraction").score()).isCloseTo(4.0 / 6, within());
    assertThat(labels.get("quality.duplicate_paragraph_fraction").value()).isEqualTo("fail");
    assertThat(labels.get("quality.duplicate_line_fraction").score()).isCloseTo(4.0 / 6, within());
    assertThat(labels.get("quality.duplicate_line_char_fraction").value()).isEqualTo("fail");
  }

  @Test
  void repeatedNGramsFail() {
    String spam = "click here to win ".repeat(40);
    Map<String, Label> labels = byKey(spam);
    assertThat(labels.get("quality.top_2gram_char_fraction").value()).isEqualTo("fail");
    assertThat(labels.get("quality.duplicate_5gram_char_fraction").score()).isEqualTo(1.0);
    assertThat(labels.get("quality.duplicate_10gram_char_fraction").value()).isEqualTo("fail");
    assertThat(byKey(GOOD).get("quality.duplicate_5gram_char_fraction").score()).isEqualTo(0.0);
  }

  @Test
  void topNGramCharFractionMatchesHandComputation() {
    // words: "aa bb aa bb cc" -> 2-grams: (aa,bb)x2, (bb,aa), (bb,cc); top = "aa bb" 2 times x 4 chars / 10 chars
    assertThat(QualitySignals.measure("aa bb aa bb cc").topNGramCharFraction()[2]).isCloseTo(0.8, within());
  }

  @Test
  void customThresholdsChangeTheVersion() {
    QualityThresholds g = QualityThresholds.gopher();
    QualityThresholds lenient = new QualityThresholds(1, g.maxWords(), g.minMeanWordLength(),
        g.maxMeanWordLength(), g.maxSymbolToWordRatio(), g.maxBulletLineFraction(), g.maxEllipsisLineFraction(),
        g.minAlphabeticWordFraction(), g.maxDuplicateLineFraction(), g.maxDuplicateLineCharFraction(),
        g.maxDuplicateParagraphFraction(), g.maxDuplicateParagraphCharFraction(), g.maxTop2GramCharFraction(),
        g.maxTop3GramCharFraction(), g.maxTop4GramCharFraction(), g.maxDuplicate5To10GramCharFractionAt5());
    QualityLabeler l = new QualityLabeler(lenient);
    assertThat(l.version()).startsWith("gopher-1+").isNotEqualTo(labeler.version());
    List<Label> labels = l.label("c", "Five words are enough here.");
    assertThat(labels).filteredOn(x -> x.key().equals("quality.word_count")).singleElement()
        .extracting(Label::value).isEqualTo("pass");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
