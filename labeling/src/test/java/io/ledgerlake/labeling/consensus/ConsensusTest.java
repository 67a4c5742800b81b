package io.ledgerlake.labeling.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConsensusTest {
  /** Stated tolerance for recovered annotator accuracy (absolute). */
  static final double ACCURACY_TOLERANCE = 0.05;

  @Test
  void majorityVoteWithConfidenceAndDeterministicTies() {
    List<Vote> votes = List.of(
        new Vote("i1", "a", "cat"), new Vote("i1", "b", "cat"), new Vote("i1", "c", "dog"),
        new Vote("i2", "a", "dog"), new Vote("i2", "b", "cat"));
    Map<String, ConsensusLabel> mv = MajorityVote.aggregate(votes);
    assertThat(mv.get("i1").label()).isEqualTo("cat");
    assertThat(mv.get("i1").confidence()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(mv.get("i2").label()).as("tie goes to the first class in sort order").isEqualTo("cat");
    assertThat(mv.get("i2").confidence()).isEqualTo(0.5);
    assertThat(mv.get("i2").distribution()).containsEntry("dog", 0.5);
    assertThatThrownBy(() -> MajorityVote.aggregate(List.of(new Vote("i", "a", "x"), new Vote("i", "a", "y"))))
        .isInstanceOf(InvalidLabelingInputException.class).hasMessageContaining("voted twice");
  }

  /** Synthetic crowd with known confusion matrices (seeded): experts, mediocre workers, spammers, biased workers. */
  record Crowd(List<Vote> votes, Map<String, String> truth, Map<String, Double> empiricalAccuracy) {}

  static Crowd crowd(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] classes = {"a", "b", "c"};
    double[] prior = {0.5, 0.3, 0.2};
    // confusion[worker][true][answer]
    List<double[][]> confusion = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      confusion.add(symmetric(0.9));
    }
    for (int w = 0; w < 4; w++) {
      confusion.add(symmetric(0.65));
    }
    for (int w = 0; w < 3; w++) {
      confusion.add(symmetric(1.0 / 3)); // spammers
    }
    for (int w = 0; w < 2; w++) {
      confusion.add(new double[][] {{0.8, 0.1, 0.1}, {0.8, 0.15, 0.05}, {0.8, 0.05, 0.15}}); // say "a" regardless
    }
    int workers = confusion.size();
    List<Vote> votes = new ArrayList<>();
    Map<String, String> truth = new HashMap<>();
    int[] correct = new int[workers];
    int[] total = new int[workers];
    for (int i = 0; i < 800; i++) {
      int k = sample(random, prior);
      truth.put("item" + i, classes[k]);
      List<Integer> pool = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        pool.add(w);
      }
      for (int v = 0; v < 5; v++) {
        int w = pool.remove(random.nextInt(pool.size()));
        int answer = sample(random, confusion.get(w)[k]);
        votes.add(new Vote("item" + i, "w" + w, classes[answer]));
        total[w]++;
        if (answer == k) {
          correct[w]++;
        }
      }
    }
    Map<String, Double> acc = new HashMap<>();
    for (int w = 0; w < workers; w++) {
      acc.put("w" + w, (double) correct[w] / total[w]);
    }
    return new Crowd(votes, truth, acc);
  }

  static double[][] symmetric(double accuracy) {
    double off = (1 - accuracy) / 2;
    return new double[][] {{accuracy, off, off}, {off, accuracy, off}, {off, off, accuracy}};
  }

  static int sample(SplittableRandom random, double[] p) {
    double u = random.nextDouble();
    double c = 0;
    for (int k = 0; k < p.length; k++) {
      c += p[k];
      if (u < c) {
        return k;
      }
    }
    return p.length - 1;
  }

  static double accuracy(Map<String, ConsensusLabel> consensus, Map<String, String> truth) {
    int ok = 0;
    for (Map.Entry<String, String> e : truth.entrySet()) {
      if (consensus.get(e.getKey()).label().equals(e.getValue())) {
        ok++;
      }
    }
    return (double) ok / truth.size();
  }

  @Test
  void dawidSkeneBeatsMajorityVoteAndRecoversAnnotatorAccuracy() {
    for (long seed : new long[] {1, 2, 3}) {
      Crowd crowd = crowd(seed);
      double mv = accuracy(MajorityVote.aggregate(crowd.votes()), crowd.truth());
      DawidSkene.Result ds = new DawidSkene().fit(crowd.votes());
      double dsAcc = accuracy(ds.consensus(), crowd.truth());
      assertThat(dsAcc).as("seed %s: DS %s vs MV %s", seed, dsAcc, mv).isGreaterThan(mv + 0.03);
      assertThat(dsAcc).as("seed %s iterations %s mv %s", seed, ds.iterations(), mv).isGreaterThan(0.85);
      assertThat(ds.converged()).as("converged after %s iterations", ds.iterations()).isTrue();
      crowd.empiricalAccuracy().forEach((w, acc) -> assertThat(ds.workerAccuracy().get(w))
          .as("seed %s worker %s", seed, w).isCloseTo(acc, within(ACCURACY_TOLERANCE)));
      // a biased worker's confusion row for true "b" puts most mass on "a"
      double[][] biased = ds.confusion().get("w10");
      assertThat(biased[1][0]).isGreaterThan(0.6);
      // and the consensus confidence is a probability
      assertThat(ds.consensus().values()).allSatisfy(c -> assertThat(c.confidence()).isBetween(1.0 / 3, 1.0));
    }
  }

  @Test
  void annotatorQualityAgainstReference() {
    List<Vote> votes = List.of(new Vote("i1", "a", "x"), new Vote("i2", "a", "y"), new Vote("i3", "a", "x"),
        new Vote("i1", "b", "y"));
    Map<String, AnnotatorQuality.Accuracy> q = AnnotatorQuality.against(votes, Map.of("i1", "x", "i2", "x"));
    assertThat(q.get("a").compared()).isEqualTo(2);
    assertThat(q.get("a").accuracy()).isEqualTo(0.5);
    assertThat(q.get("b").accuracy()).isZero();
    assertThat(AnnotatorQuality.against(votes, Map.of()).get("a").accuracy()).isNaN();
  }

  /** Fleiss (1971) as worked on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters, 5 categories: 0.210. */
  @Test
  void fleissKappaMatchesTheWorkedExample() {
    int[][] table = {
      {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
      {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}
    };
    assertThat(Agreement.fleissKappa(table)).isCloseTo(0.210, within(0.0005));
    assertThat(Agreement.fleissKappa(new int[][] {{3, 0}, {0, 3}})).isEqualTo(1.0);
    assertThatThrownBy(() -> Agreement.fleissKappa(new int[][] {{3, 0}, {0, 2}}))
        .hasMessageContaining("same number of raters");
  }

  /**
   * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: 4 observers, 12 units, missing
   * values; nominal alpha = 0.743.
   */
  @Test
  void krippendorffAlphaMatchesTheWorkedExample() {
    String[][] data = {
      {"1", "2", "3", "3", "2", "1", "4", "1", "2", null, null, null},
      {"1", "2", "3", "3", "2", "2", "4", "1", "2", "5", null, "3"},
      {null, "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", null},
      {"1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", null},
    };
    List<Vote> votes = new ArrayList<>();
    for (int o = 0; o < data.length; o++) {
      for (int u = 0; u < data[o].length; u++) {
        if (data[o][u] != null) {
          votes.add(new Vote("u" + u, "obs" + o, data[o][u]));
        }
      }
    }
    assertThat(Agreement.krippendorffAlphaNominal(votes)).isCloseTo(0.743, within(0.0005));
  }

  @Test
  void fleissAndKrippendorffAgreeOnPerfectAndChanceData() {
    List<Vote> perfect = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (int r = 0; r < 3; r++) {
        perfect.add(new Vote("i" + i, "r" + r, i % 2 == 0 ? "x" : "y"));
      }
    }
    assertThat(Agreement.fleissKappa(perfect)).isCloseTo(1.0, within(1e-12));
    assertThat(Agreement.krippendorffAlphaNominal(perfect)).isCloseTo(1.0, within(1e-12));
    Crowd spam = crowd(9);
    List<Vote> spammers = spam.votes().stream().filter(v -> List.of("w7", "w8", "w9").contains(v.workerId()))
        .toList();
    assertThat(Agreement.krippendorffAlphaNominal(spammers)).isCloseTo(0.0, within(0.15));
  }
}
