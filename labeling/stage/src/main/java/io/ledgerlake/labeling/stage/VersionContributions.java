package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.annotation.Review;
import io.ledgerlake.labeling.consensus.AnnotatorQuality;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.labeling.consensus.DawidSkene;
import io.ledgerlake.labeling.weights.AnnotationContributions;
import io.ledgerlake.labeling.weights.Contribution;
import io.ledgerlake.labeling.weights.ContributionShares;
import io.ledgerlake.lakehouse.Lakehouse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The contribution shares of one dataset version, the one computation behind {@code ledgerlake publish} (receipts)
 * and {@code ledgerlake reconcile} (which recomputes them from what the publish run recorded).
 *
 * <p>Inputs: accepted records per data provider in the version, and {@code label.annotations} of the dataset at a
 * given snapshot, limited to the version's records. Annotators: count = non-rejected answers, quality = accuracy
 * against reviewed gold (with at least {@link #MIN_GOLD} gold comparisons) else against the Dawid-Skene consensus of
 * those answers. Reviewers: count = accept/reject decisions, quality = agreement with consensus. Pools and rounding:
 * {@link ContributionShares#computeByRole} (docs/labeling.md, "Contribution weights"). Without annotations the result
 * equals plain pro-rata shares of the providers.
 *
 * <p>Deterministic for the same inputs: annotations are read in annotation-id order and every step is ordered, so a
 * reconcile run reproduces the bps of the publish run exactly.
 */
public final class VersionContributions {
  /** Gold comparisons an annotator needs before gold, rather than consensus, measures their accuracy. */
  public static final int MIN_GOLD = 3;

  /** The pool split used: recorded with each publish so reconcile recomputes with the same one. */
  public record Pools(int providerBps, int annotatorBps, int reviewerBps) {
    public static Pools of(LabelingOptions options) {
      return new Pools(options.providerPoolBps(), options.annotatorPoolBps(), options.reviewerPoolBps());
    }
  }

  private final Lakehouse lakehouse;

  public VersionContributions(Lakehouse lakehouse) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
  }

  /**
   * @param recordsByProvider accepted records per data provider in the version
   * @param versionRecords record CIDs of the version: only their annotations count
   * @param annotationsSnapshot snapshot of {@code label.annotations} the publish saw (null: none existed)
   */
  public List<ContributionShares.RoleShare> shares(String datasetId, Map<String, Long> recordsByProvider,
      Set<String> versionRecords, Long annotationsSnapshot, Pools pools) {
    AnnotationTable.Ledger ledger = new AnnotationTable(lakehouse).ledgerAt(datasetId, annotationsSnapshot);
    List<Annotation> annotations = ledger.annotations().stream()
        .filter(a -> versionRecords.contains(a.recordCid())).toList();
    Set<String> ids = new HashSet<>();
    annotations.forEach(a -> ids.add(a.annotationId()));
    List<Review> reviews = ledger.asReviews().stream().filter(r -> ids.contains(r.annotationId())).toList();
    return shares(recordsByProvider, annotations, reviews, pools);
  }

  /** The computation itself, on values (unit-testable without a lakehouse). */
  public static List<ContributionShares.RoleShare> shares(Map<String, Long> recordsByProvider,
      List<Annotation> annotations, List<Review> reviews, Pools pools) {
    List<Contribution> contributions = new ArrayList<>();
    new TreeMap<>(recordsByProvider).forEach((provider, n) -> contributions.add(Contribution.provider(provider, n)));
    if (!annotations.isEmpty()) {
      DatasetConsensus consensus = DatasetConsensus.compute(annotations, AnnotationTable.gold(annotations),
          DatasetConsensus.Method.DAWID_SKENE, new DawidSkene(LabelingOptions.DS_MAX_ITERATIONS_DEFAULT,
              LabelingOptions.DS_TOLERANCE_DEFAULT, 0.01));
      Map<String, String> consensusLabels = AnnotatorQuality.labels(consensus.consensus());
      Map<String, String> gold = new TreeMap<>();
      AnnotationTable.gold(annotations).forEach((cid, values) -> gold.put(cid, String.join("|", values)));
      contributions.addAll(AnnotationContributions.annotators(annotations, consensusLabels, gold, MIN_GOLD));
      contributions.addAll(AnnotationContributions.reviewers(reviews, annotations, consensusLabels));
    }
    return new ContributionShares(pools.providerBps(), pools.annotatorBps(), pools.reviewerBps())
        .computeByRole(contributions).stream().filter(s -> s.bps() > 0).toList();
  }
}
