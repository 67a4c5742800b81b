package io.ledgerlake.indexer.project;

import io.ledgerlake.lakehouse.versions.PublishRunRecord;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;

/**
 * The lakehouse tag ({@code <dataset>-v<n>}) of each on-chain version, from the publish runs in ops.job_runs.
 *
 * <p>The chain holds only the manifest CID; the tag is inside the manifest, in the content store, which the indexer
 * does not read (indexing must not depend on content availability: that is reconciliation's job). The publisher
 * records {@code version_id}, {@code tag} and {@code manifest_cid} of every successful run in
 * {@code params_json}; a tag is used only when that run's manifest CID is the one the version committed on chain,
 * so a tag never names other content. See docs/decisions/indexer-lakehouse-tag.md.
 */
final class PublishedTags {
  /** The job name the dataset publisher records its runs under. */
  static final String PUBLISH_JOB = PublishRunRecord.JOB_NAME;

  private record Run(String tag, String manifestCid) {}

  private final Map<String, Run> byVersionId;

  private PublishedTags(Map<String, Run> byVersionId) {
    this.byVersionId = Map.copyOf(byVersionId);
  }

  /** The successful publish runs of {@code jobRuns} (ops.job_runs), the newest winning per version. */
  static PublishedTags read(Table jobRuns) {
    Map<String, Run> out = new HashMap<>();
    // Oldest first: a later run of the same version id wins.
    for (PublishRunRecord.Dated d : PublishRunRecord.read(jobRuns, -1)) {
      PublishRunRecord p = d.record();
      if (p.versionId() > 0 && !p.tag().isEmpty()) {
        out.put(Long.toString(p.versionId()), new Run(p.tag(), p.manifestCid()));
      }
    }
    return new PublishedTags(out);
  }

  /** The tag of on-chain version {@code versionId} if a publish run registered it with {@code manifestCid}. */
  Optional<String> tagOf(String versionId, String manifestCid) {
    Run run = byVersionId.get(versionId);
    return run != null && run.manifestCid().equals(manifestCid) ? Optional.of(run.tag()) : Optional.empty();
  }
}
