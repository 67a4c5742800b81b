package io.ledgerlake.labeling.consensus;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plurality vote per item. Ties go to the class that sorts first, so the result is deterministic; the confidence (the
 * winner's vote share) shows the tie.
 */
public final class MajorityVote {
  public static final String METHOD = "majority-vote";

  private MajorityVote() {}

  public static Map<String, ConsensusLabel> aggregate(List<Vote> votes) {
    return aggregate(votes, List.of());
  }

  public static Map<String, ConsensusLabel> aggregate(List<Vote> votes, List<String> classes) {
    VoteMatrix m = new VoteMatrix(votes, classes);
    double[][] counts = counts(m);
    Map<String, ConsensusLabel> out = new LinkedHashMap<>();
    for (int i = 0; i < m.items.size(); i++) {
      double total = 0;
      int best = 0;
      for (int k = 0; k < m.classes.size(); k++) {
        total += counts[i][k];
        if (counts[i][k] > counts[i][best]) {
          best = k;
        }
      }
      Map<String, Double> dist = new HashMap<>();
      for (int k = 0; k < m.classes.size(); k++) {
        dist.put(m.classes.get(k), counts[i][k] / total);
      }
      out.put(m.items.get(i), new ConsensusLabel(m.items.get(i), m.classes.get(best), counts[i][best] / total, dist,
          METHOD));
    }
    return out;
  }

  static double[][] counts(VoteMatrix m) {
    double[][] counts = new double[m.items.size()][m.classes.size()];
    for (int n = 0; n < m.size(); n++) {
      counts[m.item[n]][m.label[n]]++;
    }
    return counts;
  }
}
