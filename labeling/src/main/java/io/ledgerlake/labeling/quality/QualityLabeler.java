package io.ledgerlake.labeling.quality;

import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Gopher/FineWeb-style heuristic quality rules. Emits one label per rule ({@code quality.<rule>}, value pass/fail, score
 * = the measured value) and a summary label {@code quality} (pass only if every rule passes, score = fraction of rules
 * passed). Stateless and thread-safe.
 */
public final class QualityLabeler implements Labeler {
  @Serial private static final long serialVersionUID = 1L;

  public static final String NAME = "quality";
  /** Version of the rule set; bump when a rule's definition changes. */
  static final String RULES_VERSION = "gopher-1";

  public static final String SUMMARY_KEY = "quality";
  public static final String PASS = "pass";
  public static final String FAIL = "fail";

  private final QualityThresholds thresholds;
  private final String version;

  public QualityLabeler() {
    this(QualityThresholds.gopher());
  }

  public QualityLabeler(QualityThresholds thresholds) {
    this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    this.version =
        thresholds.equals(QualityThresholds.gopher())
            ? RULES_VERSION
            : RULES_VERSION + "+" + thresholds.fingerprint();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return version;
  }

  public QualityThresholds thresholds() {
    return thresholds;
  }

  @Override
  public List<Label> label(String recordCid, String text) {
    QualitySignals s = QualitySignals.measure(text);
    List<Label> out = new ArrayList<>(24);
    QualityThresholds t = thresholds;
    rule(out, recordCid, "word_count", s.wordCount(), s.wordCount() >= t.minWords() && s.wordCount() <= t.maxWords());
    rule(out, recordCid, "mean_word_length", s.meanWordLength(),
        s.meanWordLength() >= t.minMeanWordLength() && s.meanWordLength() <= t.maxMeanWordLength());
    rule(out, recordCid, "symbol_to_word_ratio", s.symbolToWordRatio(),
        s.symbolToWordRatio() <= t.maxSymbolToWordRatio());
    rule(out, recordCid, "bullet_line_fraction", s.bulletLineFraction(),
        s.bulletLineFraction() <= t.maxBulletLineFraction());
    rule(out, recordCid, "ellipsis_line_fraction", s.ellipsisLineFraction(),
        s.ellipsisLineFraction() <= t.maxEllipsisLineFraction());
    rule(out, recordCid, "alphabetic_word_fraction", s.alphabeticWordFraction(),
        s.alphabeticWordFraction() >= t.minAlphabeticWordFraction());
    rule(out, recordCid, "duplicate_line_fraction", s.duplicateLineFraction(),
        s.duplicateLineFraction() <= t.maxDuplicateLineFraction());
    rule(out, recordCid, "duplicate_line_char_fraction", s.duplicateLineCharFraction(),
        s.duplicateLineCharFraction() <= t.maxDuplicateLineCharFraction());
    rule(out, recordCid, "duplicate_paragraph_fraction", s.duplicateParagraphFraction(),
        s.duplicateParagraphFraction() <= t.maxDuplicateParagraphFraction());
    rule(out, recordCid, "duplicate_paragraph_char_fraction", s.duplicateParagraphCharFraction(),
        s.duplicateParagraphCharFraction() <= t.maxDuplicateParagraphCharFraction());
    double[] top = s.topNGramCharFraction();
    rule(out, recordCid, "top_2gram_char_fraction", top[2], top[2] <= t.maxTop2GramCharFraction());
    rule(out, recordCid, "top_3gram_char_fraction", top[3], top[3] <= t.maxTop3GramCharFraction());
    rule(out, recordCid, "top_4gram_char_fraction", top[4], top[4] <= t.maxTop4GramCharFraction());
    double[] dup = s.duplicateNGramCharFraction();
    for (int n = 5; n <= QualitySignals.MAX_DUP_N; n++) {
      rule(out, recordCid, "duplicate_" + n + "gram_char_fraction", dup[n],
          dup[n] <= t.maxDuplicateNGramCharFraction(n) + 1e-12);
    }
    int passed = 0;
    for (Label l : out) {
      if (PASS.equals(l.value())) {
        passed++;
      }
    }
    out.add(new Label(recordCid, id(), SUMMARY_KEY, passed == out.size() ? PASS : FAIL, (double) passed / out.size()));
    return out;
  }

  private void rule(List<Label> out, String cid, String rule, double measured, boolean pass) {
    out.add(new Label(cid, id(), SUMMARY_KEY + "." + rule, pass ? PASS : FAIL, measured));
  }
}
