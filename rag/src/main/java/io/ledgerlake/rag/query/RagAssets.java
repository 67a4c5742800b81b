package io.ledgerlake.rag.query;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.jobs.publish.PublishDerivedJob;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.jobs.attribution.MeteredRequestException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which index a query on an on-chain asset searches. The asset is either a published RAG index (asset kind rag-index,
 * registered by {@code publish --index}) or a published dataset, whose newest published index is used (or the one of
 * the asked version). Read from the publish runs in ops.job_runs, which reconcile checks against the chain; reloaded
 * when an asset is not found and at most every {@code refresh}.
 */
public final class RagAssets {
  /**
   * A resolved query target.
   *
   * @param assetId the asset the query named
   * @param indexAssetId the index's own asset
   * @param datasetAssetId the index's parent dataset asset
   */
  public record Target(long assetId, long indexAssetId, long datasetAssetId, String datasetId, String versionTag,
      String indexCid) {
    /** The assets a licence may be on: the index's, then its parent dataset's. */
    public List<Long> licenceAssets() {
      return List.of(indexAssetId, datasetAssetId);
    }
  }

  private record Snapshot(List<PublishDerivedJob.Publication> indexes,
      Map<String, List<DatasetPublisher.Publication>> datasets, Instant loadedAt) {}

  private final Lakehouse lakehouse;
  private final Duration refresh;
  private final Clock clock;
  private volatile Snapshot snapshot;

  public RagAssets(Lakehouse lakehouse, Duration refresh, Clock clock) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.refresh = requireNonNull(refresh, "refresh");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The target of a query on {@code assetId}, optionally pinned to a dataset version tag. */
  public Target resolve(long assetId, Optional<String> versionTag) {
    Snapshot s = current(false);
    Optional<Target> found = find(s, assetId, versionTag);
    if (found.isEmpty() && s.loadedAt().isBefore(clock.instant())) {
      found = find(current(true), assetId, versionTag); // published a moment ago?
    }
    return found.orElseThrow(() -> notFound(current(false), assetId, versionTag));
  }

  private Snapshot current(boolean reload) {
    Snapshot s = snapshot;
    Instant now = clock.instant();
    if (reload || s == null || !now.isBefore(s.loadedAt().plus(refresh))) {
      synchronized (this) {
        s = snapshot;
        if (reload || s == null || !now.isBefore(s.loadedAt().plus(refresh))) {
          List<PublishDerivedJob.Publication> indexes = PublishDerivedJob.publications(lakehouse, -1).stream()
              .filter(p -> p.kind() == PublishDerivedJob.Kind.INDEX).toList();
          s = new Snapshot(indexes, DatasetPublisher.publicationsByDataset(lakehouse), now);
          snapshot = s;
        }
      }
    }
    return s;
  }

  private static Optional<Target> find(Snapshot s, long assetId, Optional<String> versionTag) {
    for (PublishDerivedJob.Publication p : s.indexes()) {
      if (p.assetId() == assetId) {
        if (versionTag.isPresent() && !versionTag.get().equals(p.datasetTag())) {
          throw new RagQueryException(Reason.NOT_FOUND, "asset %d is the index of %s, not of %s; leave out the version"
              + " or name the asset of an index of %s", assetId, p.datasetTag(), versionTag.get(), versionTag.get());
        }
        return Optional.of(target(assetId, p));
      }
    }
    // A dataset asset: its newest published index (of the asked version, if one was asked).
    return s.indexes().stream().filter(p -> p.parentAssetId() == assetId)
        .filter(p -> versionTag.isEmpty() || versionTag.get().equals(p.datasetTag()))
        .max(Comparator.comparingLong(PublishDerivedJob.Publication::parentVersionId)
            .thenComparingLong(PublishDerivedJob.Publication::versionId))
        .map(p -> target(assetId, p));
  }

  private static Target target(long assetId, PublishDerivedJob.Publication p) {
    String dataset = p.datasetTag().substring(0, p.datasetTag().lastIndexOf("-v"));
    return new Target(assetId, p.assetId(), p.parentAssetId(), dataset, p.datasetTag(), p.cid());
  }

  private static RagQueryException notFound(Snapshot s, long assetId, Optional<String> versionTag) {
    boolean dataset = s.datasets().values().stream().flatMap(List::stream).anyMatch(d -> d.assetId() == assetId);
    if (dataset) {
      return new RagQueryException(Reason.NOT_FOUND, "dataset asset %d has no published index%s; build and publish one:"
          + " 'ledgerlake embed', 'ledgerlake rag build', 'ledgerlake publish --index CID'", assetId,
          versionTag.map(v -> " of " + v).orElse(""));
    }
    return new RagQueryException(Reason.NOT_FOUND, "asset %d is not a published dataset or RAG index", assetId);
  }
}
