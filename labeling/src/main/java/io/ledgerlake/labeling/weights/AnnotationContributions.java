package io.ledgerlake.labeling.weights;

import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.annotation.Review;
import io.ledgerlake.labeling.consensus.AnnotatorQuality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Derives annotator and reviewer {@link Contribution}s from a dataset's annotations, reviews, consensus and gold.
 *
 * <ul>
 *   <li>Annotator: count = non-rejected annotations; quality = accuracy against reviewed gold when the annotator has at
 *       least {@code minGold} gold comparisons, otherwise accuracy against consensus (0 when neither exists).
 *   <li>Reviewer: count = ACCEPT/REJECT reviews (REQUEUE asks for more work and is not scored); quality = share of those
 *       decisions that agree with consensus (accepting an answer equal to the consensus label, or rejecting one that
 *       differs), 1.0 for a reviewer whose decisions touch no item with consensus.
 * </ul>
 */
public final class AnnotationContributions {
  private AnnotationContributions() {}

  public static List<Contribution> annotators(List<Annotation> annotations, Map<String, String> consensus,
      Map<String, String> gold, int minGold) {
    List<io.ledgerlake.labeling.consensus.Vote> votes = new ArrayList<>();
    Map<String, Long> counts = new TreeMap<>();
    for (Annotation a : annotations) {
      if (a.status() == Annotation.Status.REJECTED) {
        continue;
      }
      counts.merge(a.annotatorId(), 1L, Long::sum);
      votes.add(new io.ledgerlake.labeling.consensus.Vote(a.recordCid(), a.annotatorId(), String.join("|",
          a.values())));
    }
    Map<String, AnnotatorQuality.Accuracy> vsGold = AnnotatorQuality.against(votes, gold);
    Map<String, AnnotatorQuality.Accuracy> vsConsensus = AnnotatorQuality.against(votes, consensus);
    List<Contribution> out = new ArrayList<>();
    counts.forEach((id, count) -> {
      AnnotatorQuality.Accuracy g = vsGold.get(id);
      AnnotatorQuality.Accuracy c = vsConsensus.get(id);
      double quality;
      if (g != null && g.compared() >= minGold) {
        quality = g.accuracy();
      } else if (c != null && c.compared() > 0) {
        quality = c.accuracy();
      } else {
        quality = 0;
      }
      out.add(new Contribution(id, Role.ANNOTATOR, count, quality));
    });
    return out;
  }

  public static List<Contribution> reviewers(List<Review> reviews, List<Annotation> annotations,
      Map<String, String> consensus) {
    Map<String, Annotation> byId = new HashMap<>();
    for (Annotation a : annotations) {
      byId.put(a.annotationId(), a);
    }
    Map<String, long[]> tally = new TreeMap<>(); // [scored, agreed, comparable]
    for (Review r : reviews) {
      if (r.decision() == Review.Decision.REQUEUE) {
        continue;
      }
      long[] t = tally.computeIfAbsent(r.reviewerId(), k -> new long[3]);
      t[0]++;
      Annotation a = byId.get(r.annotationId());
      String label = a == null ? null : consensus.get(a.recordCid());
      if (label != null) {
        t[2]++;
        boolean matches = label.equals(String.join("|", a.values()));
        if (matches == (r.decision() == Review.Decision.ACCEPT)) {
          t[1]++;
        }
      }
    }
    List<Contribution> out = new ArrayList<>();
    tally.forEach((id, t) -> out.add(
        new Contribution(id, Role.REVIEWER, t[0], t[2] == 0 ? 1.0 : (double) t[1] / t[2])));
    return out;
  }
}
