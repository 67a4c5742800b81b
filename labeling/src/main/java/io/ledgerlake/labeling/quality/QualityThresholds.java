package io.ledgerlake.labeling.quality;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.text.TextNormalizer;
import java.io.Serial;
import java.io.Serializable;

/**
 * Thresholds of the quality rules. Defaults are Gopher's (Rae et al. 2021, "Scaling Language Models", appendix A.1.1
 * "quality filters" and "repetition removal"); see docs/labeling.md for each rule's source.
 */
public record QualityThresholds(
    int minWords,
    int maxWords,
    double minMeanWordLength,
    double maxMeanWordLength,
    double maxSymbolToWordRatio,
    double maxBulletLineFraction,
    double maxEllipsisLineFraction,
    double minAlphabeticWordFraction,
    double maxDuplicateLineFraction,
    double maxDuplicateLineCharFraction,
    double maxDuplicateParagraphFraction,
    double maxDuplicateParagraphCharFraction,
    double maxTop2GramCharFraction,
    double maxTop3GramCharFraction,
    double maxTop4GramCharFraction,
    double maxDuplicate5To10GramCharFractionAt5)
    implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  public QualityThresholds {
    InvalidLabelingInputException.check(
        minWords >= 0 && maxWords >= minWords, "quality word bounds must satisfy 0 <= min <= max, got [%s, %s]",
        minWords, maxWords);
    InvalidLabelingInputException.check(
        minMeanWordLength <= maxMeanWordLength, "mean word length bounds inverted: [%s, %s]",
        minMeanWordLength, maxMeanWordLength);
  }

  public static QualityThresholds gopher() {
    return new QualityThresholds(
        50, 100_000, 3.0, 10.0, 0.1, 0.9, 0.3, 0.8, 0.30, 0.20, 0.30, 0.20, 0.20, 0.18, 0.16, 0.15);
  }

  /**
   * Gopher's duplicate n-gram limits for n = 5..10 go down by 0.01 per step from the n = 5 limit (0.15, 0.14, ... 0.10).
   */
  public double maxDuplicateNGramCharFraction(int n) {
    return maxDuplicate5To10GramCharFractionAt5 - 0.01 * (n - 5);
  }

  /** Short stable fingerprint, part of the labeler version whenever thresholds differ from the defaults. */
  public String fingerprint() {
    return TextNormalizer.sha256Hex(toString()).substring(0, 8);
  }
}
