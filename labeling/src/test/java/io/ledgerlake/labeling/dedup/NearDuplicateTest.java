package io.ledgerlake.labeling.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ledgerlake.labeling.GroundTruth;
import io.ledgerlake.labeling.StateFormatException;
import io.ledgerlake.labeling.label.Label;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearDuplicateTest {
  /** Pairs at or above this true Jaccard must be found (recall floor below). */
  static final double POSITIVE_JACCARD = 0.8;
  /** Pairs at or below this true Jaccard must not be flagged (precision floor below). */
  static final double NEGATIVE_JACCARD = 0.6;
  static final double MIN_RECALL = 0.95;
  static final double MIN_PRECISION = 0.98;

  private final LshParams params = LshParams.defaults();
  private final NearDuplicateLabeler labeler = new NearDuplicateLabeler(params);

  /** Exact Jaccard of 5-word shingle sets, computed with plain collections as an independent oracle. */
  static double exactJaccard(String a, String b) {
    Set<String> sa = shingles(a);
    Set<String> sb = shingles(b);
    Set<String> inter = new HashSet<>(sa);
    inter.retainAll(sb);
    Set<String> union = new HashSet<>(sa);
    union.addAll(sb);
    return (double) inter.size() / union.size();
  }

  static Set<String> shingles(String text) {
    String[] w = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 5 <= w.length; i++) {
      out.add(String.join(" ", java.util.Arrays.copyOfRange(w, i, i + 5)));
    }
    return out;
  }

  @Test
  void groundTruthPairsRecallAndPrecisionAboveFloors() {
    List<String[]> rows = GroundTruth.rows("near-dup-pairs.tsv");
    assertThat(rows).hasSizeGreaterThan(200);
    NearDuplicateIndex index = labeler.newIndex();
    for (int p = 0; p < rows.size(); p++) {
      assertThat(labeler.label("a" + p, rows.get(p)[1], index).get(0).value()).isEqualTo("canonical");
    }
    int tp = 0;
    int fn = 0;
    int fp = 0;
    int positives = 0;
    int negatives = 0;
    for (int p = 0; p < rows.size(); p++) {
      String[] row = rows.get(p);
      double truth = exactJaccard(row[1], row[2]);
      assertThat(truth).as("resource Jaccard of pair %s", p).isCloseTo(Double.parseDouble(row[0]), within(1e-6));
      List<Label> labels = labeler.label("b" + p, row[2], index);
      boolean flagged = labels.get(0).value().equals("duplicate");
      if (flagged) {
        assertThat(labels.get(1).value()).as("canonical of pair %s", p).isEqualTo("a" + p);
        assertThat(labels.get(0).score()).isCloseTo(truth, within(0.15));
      }
      if (truth >= POSITIVE_JACCARD) {
        positives++;
        if (flagged) {
          tp++;
        } else {
          fn++;
        }
      } else if (truth <= NEGATIVE_JACCARD) {
        negatives++;
        if (flagged) {
          fp++;
        }
      }
    }
    assertThat(positives).isGreaterThan(50);
    assertThat(negatives).isGreaterThan(50);
    assertThat((double) tp / (tp + fn)).as("recall (tp=%s fn=%s)", tp, fn).isGreaterThanOrEqualTo(MIN_RECALL);
    assertThat((double) tp / Math.max(1, tp + fp)).as("precision (fp=%s)", fp).isGreaterThanOrEqualTo(MIN_PRECISION);
  }

  @Test
  void signatureEstimateTracksTrueJaccard() {
    MinHasher hasher = params.newHasher();
    for (String[] row : GroundTruth.rows("near-dup-pairs.tsv").subList(0, 60)) {
      double est = MinHasher.estimateJaccard(hasher.signature(row[1]), hasher.signature(row[2]));
      // 120 hashes: standard error <= 0.046; 4 sigma
      assertThat(est).isCloseTo(Double.parseDouble(row[0]), within(0.19));
    }
  }

  @Test
  void signaturesIgnoreCasePunctuationAndSpacing() {
    MinHasher hasher = params.newHasher();
    assertThat(hasher.signature("The quick, brown fox jumps over the lazy dog!"))
        .isEqualTo(hasher.signature("the   QUICK brown fox -- jumps over the lazy dog"));
    assertThat(hasher.signature("   ...  ")).isNull();
    assertThat(hasher.signature("two words")).hasSize(120);
    assertThat(new MinHasher(120, 5, 1).signature("a b c d e f"))
        .isNotEqualTo(new MinHasher(120, 5, 2).signature("a b c d e f"));
  }

  @Test
  void replayOfTheSameRecordIsNotADuplicateOfItself() {
    NearDuplicateIndex index = labeler.newIndex();
    String text = randomText(new SplittableRandom(1), 100);
    assertThat(labeler.label("cid1", text, index).get(0).value()).isEqualTo("canonical");
    assertThat(labeler.label("cid1", text, index).get(0).value()).isEqualTo("canonical");
    assertThat(index.size()).isEqualTo(1);
    assertThat(labeler.label("cid2", text, index)).extracting(Label::value).containsExactly("duplicate", "cid1");
  }

  @Test
  void boundedStateEvictsOldestCanonicalFirst() {
    LshParams small = new LshParams(20, 6, 0.75, 3, 5, 7L);
    NearDuplicateLabeler l = new NearDuplicateLabeler(small);
    NearDuplicateIndex index = l.newIndex();
    SplittableRandom random = new SplittableRandom(3);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      texts.add(randomText(random, 80));
      l.label("c" + i, texts.get(i), index);
    }
    assertThat(index.size()).isEqualTo(3);
    assertThat(l.label("again0", texts.get(0), index).get(0).value()).as("c0 was evicted").isEqualTo("canonical");
    assertThat(l.label("again4", texts.get(4), index)).extracting(Label::value).containsExactly("duplicate", "c4");
  }

  @Test
  void evictionKeepsTheBandTableConsistentUnderChurn() {
    LshParams small = new LshParams(20, 6, 0.75, 50, 5, 9L);
    LshIndex index = new LshIndex(small);
    MinHasher hasher = small.newHasher();
    SplittableRandom random = new SplittableRandom(5);
    List<int[]> sigs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int[] sig = hasher.signature(randomText(random, 30));
      sigs.add(sig);
      assertThat(index.findOrInsert("r" + i, sig).kind()).isEqualTo(NearDuplicateResult.Kind.CANONICAL);
    }
    // the last 50 are still found (as replays), the earlier ones are gone
    for (int i = 350; i < 400; i++) {
      assertThat(index.findOrInsert("r" + i, sigs.get(i)).kind()).isEqualTo(NearDuplicateResult.Kind.REPLAY);
    }
    assertThat(index.findOrInsert("new", sigs.get(10)).kind()).isEqualTo(NearDuplicateResult.Kind.CANONICAL);
  }

  @Test
  void serializerRoundTripRestoresIdenticalBehaviour() {
    LshParams small = new LshParams(20, 6, 0.75, 20, 5, 11L);
    NearDuplicateLabeler l = new NearDuplicateLabeler(small);
    LshIndex index = new LshIndex(small);
    SplittableRandom random = new SplittableRandom(8);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      texts.add(randomText(random, 60));
      l.label("c" + i, texts.get(i), index);
    }
    byte[] bytes = LshIndexSerializer.serialize(index);
    LshIndex copy = LshIndexSerializer.deserialize(bytes);
    assertThat(LshIndexSerializer.serialize(copy)).isEqualTo(bytes);
    assertThat(copy.size()).isEqualTo(20);
    assertThat(copy.params()).isEqualTo(small);
    for (int i = 0; i < 30; i++) {
      String mutated = texts.get(i) + " plus one tail";
      assertThat(l.label("q" + i, mutated, copy)).isEqualTo(l.label("q" + i, mutated, index));
    }
  }

  @Test
  void serializerRejectsUnknownVersionTruncationAndMismatchedIndex() {
    byte[] bytes = LshIndexSerializer.serialize(new LshIndex(params));
    byte[] future = bytes.clone();
    future[7] = 2;
    assertThatThrownBy(() -> LshIndexSerializer.deserialize(future))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("version 2");
    byte[] truncated = java.util.Arrays.copyOf(bytes, 12);
    assertThatThrownBy(() -> LshIndexSerializer.deserialize(truncated)).isInstanceOf(StateFormatException.class);
    NearDuplicateLabeler other = new NearDuplicateLabeler(new LshParams(16, 8, 0.75, 10, 5, 1L));
    assertThatThrownBy(() -> other.label("c", "some text here", new LshIndex(params)))
        .hasMessageContaining("do not match");
  }

  @Test
  void sCurveOfDefaultsIsSteepBetweenPointSixAndPointEight() {
    assertThat(params.numHashes()).isEqualTo(120);
    assertThat(params.candidateProbability(0.8)).isGreaterThan(0.99);
    assertThat(params.candidateProbability(0.7)).isGreaterThan(0.9);
    assertThat(params.candidateProbability(0.4)).isLessThan(0.1);
  }

  static String randomText(SplittableRandom random, int words) {
    List<String> vocab = io.ledgerlake.labeling.pii.Bip39Wordlist.english().words();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      sb.append(vocab.get(random.nextInt(vocab.size()))).append(' ');
    }
    return sb.toString();
  }
}
