package io.ledgerlake.labeling.consensus;

import io.ledgerlake.labeling.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything {@code ledgerlake label consensus} needs for one dataset, from its stored annotations: consensus rows,
 * annotator quality against consensus and against reviewed gold, and agreement. Rejected annotations are left out;
 * multi-label answers are compared as one joined value ({@code a|c}).
 */
public record DatasetConsensus(
    Map<String, ConsensusLabel> consensus,
    Map<String, AnnotatorQuality.Accuracy> vsConsensus,
    Map<String, AnnotatorQuality.Accuracy> vsGold,
    double krippendorffAlpha,
    int votes) {

  public enum Method {
    MAJORITY_VOTE,
    DAWID_SKENE
  }

  public DatasetConsensus {
    consensus = java.util.Collections.unmodifiableMap(new TreeMap<>(consensus));
    vsConsensus = Map.copyOf(vsConsensus);
    vsGold = Map.copyOf(vsGold);
  }

  public static DatasetConsensus compute(List<Annotation> annotations, Map<String, List<String>> gold, Method method,
      DawidSkene dawidSkene) {
    Objects.requireNonNull(method, "method");
    List<Vote> votes = votes(annotations);
    if (votes.isEmpty()) {
      return new DatasetConsensus(Map.of(), Map.of(), Map.of(), Double.NaN, 0);
    }
    Map<String, ConsensusLabel> consensus = method == Method.MAJORITY_VOTE
        ? MajorityVote.aggregate(votes)
        : dawidSkene.fit(votes).consensus();
    Map<String, String> goldLabels = new TreeMap<>();
    gold.forEach((cid, values) -> goldLabels.put(cid, String.join("|", values)));
    double alpha;
    try {
      alpha = Agreement.krippendorffAlphaNominal(votes);
    } catch (io.ledgerlake.labeling.InvalidLabelingInputException e) {
      alpha = Double.NaN; // no record has two answers yet
    }
    return new DatasetConsensus(consensus, AnnotatorQuality.against(votes, AnnotatorQuality.labels(consensus)),
        AnnotatorQuality.against(votes, goldLabels), alpha, votes.size());
  }

  static List<Vote> votes(List<Annotation> annotations) {
    List<Vote> votes = new ArrayList<>();
    for (Annotation a : annotations) {
      if (a.status() != Annotation.Status.REJECTED) {
        votes.add(new Vote(a.recordCid(), a.annotatorId(), String.join("|", a.values())));
      }
    }
    return votes;
  }
}
