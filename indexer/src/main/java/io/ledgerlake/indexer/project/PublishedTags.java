package io.ledgerlake.indexer.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

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
  static final String PUBLISH_JOB = "publish";
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(String tag, String manifestCid) {}

  private final Map<String, Run> byVersionId;

  private PublishedTags(Map<String, Run> byVersionId) {
    this.byVersionId = Map.copyOf(byVersionId);
  }

  /** The successful publish runs of {@code jobRuns} (ops.job_runs), the newest winning per version. */
  static PublishedTags read(Table jobRuns) {
    Map<String, Run> out = new HashMap<>();
    Map<String, Long> startedOf = new HashMap<>();
    if (jobRuns.currentSnapshot() == null) {
      return new PublishedTags(out);
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(jobRuns)
        .where(Expressions.and(Expressions.equal("job_name", PUBLISH_JOB), Expressions.equal("status", "succeeded")))
        .select("started_at", "params_json").build()) {
      for (Record r : rows) {
        String params = (String) r.getField("params_json");
        if (params == null) {
          continue;
        }
        JsonNode p = JSON.readTree(params);
        String versionId = p.path("version_id").asText("");
        String tag = p.path("tag").asText("");
        if (versionId.isEmpty() || tag.isEmpty()) {
          continue;
        }
        long started = r.getField("started_at") == null ? 0
            : ((OffsetDateTime) r.getField("started_at")).toInstant().toEpochMilli();
        if (startedOf.getOrDefault(versionId, Long.MIN_VALUE) <= started) {
          startedOf.put(versionId, started);
          out.put(versionId, new Run(tag, p.path("manifest_cid").asText("")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PublishedTags(out);
  }

  /** The tag of on-chain version {@code versionId} if a publish run registered it with {@code manifestCid}. */
  Optional<String> tagOf(String versionId, String manifestCid) {
    Run run = byVersionId.get(versionId);
    return run != null && run.manifestCid().equals(manifestCid) ? Optional.of(run.tag()) : Optional.empty();
  }
}
