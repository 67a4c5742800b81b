package io.ledgerlake.jobs.publish;

import io.ledgerlake.labeling.stage.VersionContributions;
import io.ledgerlake.labeling.weights.Role;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The receipts of a dataset version: data providers, annotators and reviewers ({@link VersionContributions}). Used by
 * {@link DatasetPublisher} to publish and by the reconciler to recompute, so both always agree.
 */
public final class VersionShares {
  private VersionShares() {}

  /**
   * What a publish run records so the same shares can be recomputed later.
   *
   * @param annotationsSnapshot snapshot of label.annotations at publish time; null when there was none
   */
  public record Inputs(Long annotationsSnapshot, VersionContributions.Pools pools) {
    /** Runs from before annotations counted: no annotations and default pools give their provider-only shares. */
    public static final Inputs LEGACY =
        new Inputs(null, VersionContributions.Pools.of(io.ledgerlake.labeling.LabelingOptions.defaults()));

    public Inputs {
      java.util.Objects.requireNonNull(pools, "pools");
    }
  }

  public static List<ReceiptShare> compute(Lakehouse lakehouse, String datasetId, Map<String, Long> recordsByProvider,
      Set<String> versionRecords, Inputs inputs) {
    return new VersionContributions(lakehouse).shares(datasetId, recordsByProvider, versionRecords,
        inputs.annotationsSnapshot(), inputs.pools()).stream()
        .map(s -> new ReceiptShare(s.participantId(), role(s.role()), s.bps())).toList();
  }

  static ContributorRole role(Role role) {
    return switch (role) {
      case PROVIDER -> ContributorRole.DATA_PROVIDER;
      case ANNOTATOR -> ContributorRole.ANNOTATOR;
      case REVIEWER -> ContributorRole.REVIEWER;
    };
  }
}
