package io.ledgerlake.labeling.consensus;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Accuracy of each worker against a reference labeling (consensus, or reviewed gold). */
public final class AnnotatorQuality {
  private AnnotatorQuality() {}

  /** @param compared votes on items the reference labels; {@code accuracy} is NaN when there are none */
  public record Accuracy(String workerId, int compared, int agreed) {
    public Accuracy {
      Objects.requireNonNull(workerId, "workerId");
    }

    public double accuracy() {
      return compared == 0 ? Double.NaN : (double) agreed / compared;
    }
  }

  /** Per worker (sorted by id): how many of their votes on referenced items match the reference. */
  public static Map<String, Accuracy> against(List<Vote> votes, Map<String, String> reference) {
    Map<String, int[]> tally = new TreeMap<>();
    for (Vote v : votes) {
      int[] t = tally.computeIfAbsent(v.workerId(), k -> new int[2]);
      String ref = reference.get(v.itemId());
      if (ref != null) {
        t[0]++;
        if (ref.equals(v.label())) {
          t[1]++;
        }
      }
    }
    Map<String, Accuracy> out = new TreeMap<>();
    tally.forEach((w, t) -> out.put(w, new Accuracy(w, t[0], t[1])));
    return out;
  }

  /** The reference form of a consensus: item -> label. */
  public static Map<String, String> labels(Map<String, ConsensusLabel> consensus) {
    Map<String, String> out = new TreeMap<>();
    consensus.forEach((item, c) -> out.put(item, c.label()));
    return out;
  }
}
