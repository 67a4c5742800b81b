package io.ledgerlake.labeling.quality;

import io.ledgerlake.labeling.text.Hashing;
import io.ledgerlake.labeling.text.LongIntCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured values the quality rules compare against thresholds, computed in a few passes over one text. Words are
 * whitespace-separated tokens, as in Gopher; lengths count UTF-16 units.
 */
public record QualitySignals(
    int wordCount,
    double meanWordLength,
    double symbolToWordRatio,
    double bulletLineFraction,
    double ellipsisLineFraction,
    double alphabeticWordFraction,
    double duplicateLineFraction,
    double duplicateLineCharFraction,
    double duplicateParagraphFraction,
    double duplicateParagraphCharFraction,
    double[] topNGramCharFraction,
    double[] duplicateNGramCharFraction) {

  /** Index {@code n} of {@link #topNGramCharFraction()} holds the value for n-grams of n words (n = 2..4). */
  public static final int MAX_TOP_N = 4;

  /** Index {@code n} of {@link #duplicateNGramCharFraction()} holds the value for n = 5..10. */
  public static final int MAX_DUP_N = 10;

  public static QualitySignals measure(String text) {
    List<int[]> words = wordSpans(text);
    int wordCount = words.size();
    long charTotal = 0;
    int symbols = 0;
    int alphabetic = 0;
    for (int[] w : words) {
      charTotal += w[1] - w[0];
      boolean alpha = false;
      for (int i = w[0]; i < w[1]; i++) {
        char c = text.charAt(i);
        if (Character.isLetter(c)) {
          alpha = true;
        }
        if (c == '#') {
          symbols++;
        } else if (c == '\u2026') {
          symbols++;
        } else if (c == '.' && i + 2 < w[1] && text.charAt(i + 1) == '.' && text.charAt(i + 2) == '.') {
          symbols++;
          i += 2;
        }
      }
      if (alpha) {
        alphabetic++;
      }
    }

    int nonEmptyLines = 0;
    int bullets = 0;
    int ellipsis = 0;
    List<String> lineList = new ArrayList<>();
    for (int from = 0; from <= text.length(); ) {
      int nl = text.indexOf('\n', from);
      int to = nl < 0 ? text.length() : nl;
      String t = text.substring(from, to).strip(); // strip() also drops the '\r' of CRLF
      from = to + 1;
      if (t.isEmpty()) {
        continue;
      }
      nonEmptyLines++;
      lineList.add(t);
      if (isBullet(t)) {
        bullets++;
      }
      if (t.endsWith("...") || t.endsWith("\u2026")) {
        ellipsis++;
      }
    }
    List<String> paragraphs = new ArrayList<>();
    for (String p : text.split("\\n\\s*\\n")) {
      String t = p.strip();
      if (!t.isEmpty()) {
        paragraphs.add(t);
      }
    }
    double[] dupLines = duplicateFractions(lineList);
    double[] dupParas = duplicateFractions(paragraphs);

    long[] wordHashes = new long[wordCount];
    int[] wordLengths = new int[wordCount];
    for (int k = 0; k < wordCount; k++) {
      int[] w = words.get(k);
      wordHashes[k] = Hashing.hashChars(text, w[0], w[1]);
      wordLengths[k] = w[1] - w[0];
    }
    LongIntCounter counter = new LongIntCounter(Math.max(16, wordCount));
    double[] top = new double[MAX_TOP_N + 1];
    for (int n = 2; n <= MAX_TOP_N; n++) {
      top[n] = topNGramCharFraction(wordHashes, wordLengths, n, charTotal, counter);
    }
    double[] dup = new double[MAX_DUP_N + 1];
    boolean[] covered = new boolean[wordCount];
    for (int n = 5; n <= MAX_DUP_N; n++) {
      dup[n] = duplicateNGramCharFraction(wordHashes, wordLengths, n, charTotal, counter, covered);
    }

    return new QualitySignals(
        wordCount,
        wordCount == 0 ? 0 : (double) charTotal / wordCount,
        wordCount == 0 ? 0 : (double) symbols / wordCount,
        nonEmptyLines == 0 ? 0 : (double) bullets / nonEmptyLines,
        nonEmptyLines == 0 ? 0 : (double) ellipsis / nonEmptyLines,
        wordCount == 0 ? 0 : (double) alphabetic / wordCount,
        dupLines[0],
        dupLines[1],
        dupParas[0],
        dupParas[1],
        top,
        dup);
  }

  static boolean isBullet(String strippedLine) {
    char c = strippedLine.charAt(0);
    return c == '\u2022' || c == '\u25CF' || c == '\u25AA' || c == '\u25E6' || c == '\u2023' || c == '\u2043'
        || c == '\u25A0' || c == '\u25CB' || c == '\u27A2' || c == '\u2013' || c == '\u2014'
        || ((c == '-' || c == '*' || c == '+') && (strippedLine.length() == 1 || strippedLine.charAt(1) == ' '));
  }

  /** [fraction of items that repeat an earlier item, fraction of characters in such repeats]. */
  private static double[] duplicateFractions(List<String> items) {
    if (items.isEmpty()) {
      return new double[] {0, 0};
    }
    java.util.HashSet<String> seen = new java.util.HashSet<>();
    int dupItems = 0;
    long dupChars = 0;
    long chars = 0;
    for (String s : items) {
      chars += s.length();
      if (!seen.add(s)) {
        dupItems++;
        dupChars += s.length();
      }
    }
    return new double[] {(double) dupItems / items.size(), chars == 0 ? 0 : (double) dupChars / chars};
  }

  private static double topNGramCharFraction(
      long[] hashes, int[] lengths, int n, long charTotal, LongIntCounter counter) {
    if (hashes.length < n || charTotal == 0) {
      return 0;
    }
    counter.clear();
    int bestCount = 0;
    long bestKey = 0;
    int bestStart = 0;
    for (int i = 0; i + n <= hashes.length; i++) {
      long key = ngram(hashes, i, n);
      int c = counter.increment(key);
      if (c > bestCount) {
        bestCount = c;
        bestKey = key;
        bestStart = i;
      }
    }
    if (bestCount < 2) {
      return 0;
    }
    int gramChars = 0;
    for (int k = bestStart; k < bestStart + n; k++) {
      gramChars += lengths[k];
    }
    assert counter.get(bestKey) == bestCount;
    return Math.min(1.0, (double) gramChars * bestCount / charTotal);
  }

  private static double duplicateNGramCharFraction(
      long[] hashes, int[] lengths, int n, long charTotal, LongIntCounter counter, boolean[] covered) {
    if (hashes.length < n || charTotal == 0) {
      return 0;
    }
    counter.clear();
    for (int i = 0; i + n <= hashes.length; i++) {
      counter.increment(ngram(hashes, i, n));
    }
    java.util.Arrays.fill(covered, false);
    for (int i = 0; i + n <= hashes.length; i++) {
      if (counter.get(ngram(hashes, i, n)) > 1) {
        for (int k = i; k < i + n; k++) {
          covered[k] = true;
        }
      }
    }
    long dupChars = 0;
    for (int k = 0; k < hashes.length; k++) {
      if (covered[k]) {
        dupChars += lengths[k];
      }
    }
    return (double) dupChars / charTotal;
  }

  private static long ngram(long[] hashes, int start, int n) {
    long h = 0;
    for (int k = start; k < start + n; k++) {
      h = (h + hashes[k]) * Hashing.COMBINE;
    }
    return Hashing.mix64(h ^ n);
  }

  static List<int[]> wordSpans(String text) {
    List<int[]> spans = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < text.length(); i++) {
      boolean ws = Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i));
      if (ws) {
        if (start >= 0) {
          spans.add(new int[] {start, i});
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      spans.add(new int[] {start, text.length()});
    }
    return spans;
  }
}
