package io.ledgerlake.lakehouse.versions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What a successful {@code publish} run records about the version it registered, in {@code ops.job_runs.params_json}
 * (next to the runner's {@code "params"}): one type, one versioned format, written by the publisher and read by the
 * publisher (earlier versions), the indexer (the lakehouse tag of an on-chain version) and reconcile (the shares and
 * their inputs). Immutable.
 *
 * <p>Format versions: 1 adds {@code publish_run_format}; rows written before (no such field, format 0) have the same
 * fields and are read the same way; runs from before annotations counted have no {@code share_inputs}
 * ({@link #shareInputs} empty: provider-only shares).
 */
public record PublishRunRecord(int format, String dataset, String tag, long snapshotId, long assetId, long versionId,
    String manifestCid, List<String> txHashes, List<Long> receiptTokenIds, List<Share> shares,
    Optional<ShareInputs> shareInputs) {
  /** The job name publish runs are recorded under. */
  public static final String JOB_NAME = "publish";
  public static final int FORMAT = 1;
  static final String FORMAT_FIELD = "publish_run_format";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One receipt share: role as the provenance module names it ({@code DATA_PROVIDER}, {@code ANNOTATOR}, ...). */
  public record Share(String contributor, String role, int shareBps) {
    public Share {
      requireNonNull(contributor, "contributor");
      requireNonNull(role, "role");
    }
  }

  /** What the shares were computed from: the label.annotations snapshot (null: none) and the role pools. */
  public record ShareInputs(Long annotationsSnapshotId, int providerPoolBps, int annotatorPoolBps, int reviewerPoolBps) {}

  /** A record with the moment its run started (publications are ordered by it). */
  public record Dated(PublishRunRecord record, OffsetDateTime startedAt) {}

  public PublishRunRecord {
    requireNonNull(dataset, "dataset");
    requireNonNull(tag, "tag");
    requireNonNull(manifestCid, "manifestCid");
    txHashes = List.copyOf(txHashes);
    receiptTokenIds = List.copyOf(receiptTokenIds);
    shares = List.copyOf(shares);
    requireNonNull(shareInputs, "shareInputs");
    if (format < 0 || format > FORMAT) {
      throw new LakehouseException(ErrorCategory.INTERNAL, "publish run format %d is newer than this build reads (%d);"
          + " upgrade LedgerLake", format, FORMAT);
    }
  }

  /** A record of the current format. */
  public static PublishRunRecord of(String dataset, String tag, long snapshotId, long assetId, long versionId,
      String manifestCid, List<String> txHashes, List<Long> receiptTokenIds, List<Share> shares,
      ShareInputs shareInputs) {
    return new PublishRunRecord(FORMAT, dataset, tag, snapshotId, assetId, versionId, manifestCid, txHashes,
        receiptTokenIds, shares, Optional.of(shareInputs));
  }

  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put(FORMAT_FIELD, format);
    n.put("dataset", dataset);
    n.put("tag", tag);
    n.put("snapshot_id", snapshotId);
    n.put("asset_id", assetId);
    n.put("version_id", versionId);
    n.put("manifest_cid", manifestCid);
    ArrayNode txs = n.putArray("tx_hashes");
    txHashes.forEach(txs::add);
    ArrayNode tokens = n.putArray("receipt_token_ids");
    receiptTokenIds.forEach(tokens::add);
    ArrayNode s = n.putArray("shares");
    shares.forEach(x -> s.addObject().put("contributor", x.contributor()).put("role", x.role()).put("share_bps", x.shareBps()));
    shareInputs.ifPresent(w -> {
      ObjectNode o = n.putObject("share_inputs");
      if (w.annotationsSnapshotId() != null) {
        o.put("annotations_snapshot_id", w.annotationsSnapshotId());
      }
      o.put("provider_pool_bps", w.providerPoolBps());
      o.put("annotator_pool_bps", w.annotatorPoolBps());
      o.put("reviewer_pool_bps", w.reviewerPoolBps());
    });
    return n;
  }

  /** Reads a record of any format up to {@link #FORMAT} (unknown fields, e.g. the runner's, are ignored). */
  public static PublishRunRecord fromJson(JsonNode n) {
    if (!n.path("tag").isTextual() || !n.path("dataset").isTextual()) {
      throw new LakehouseException(ErrorCategory.INTERNAL, "not a publish run record: %s",
          n.toString().length() > 200 ? n.toString().substring(0, 200) + "..." : n);
    }
    List<String> txs = new ArrayList<>();
    n.path("tx_hashes").forEach(t -> txs.add(t.asText()));
    List<Long> tokens = new ArrayList<>();
    n.path("receipt_token_ids").forEach(t -> tokens.add(t.asLong()));
    List<Share> shares = new ArrayList<>();
    n.path("shares").forEach(s -> shares.add(new Share(s.path("contributor").asText(), s.path("role").asText(),
        s.path("share_bps").asInt())));
    JsonNode w = n.path("share_inputs");
    Optional<ShareInputs> inputs = w.isObject()
        ? Optional.of(new ShareInputs(w.hasNonNull("annotations_snapshot_id") ? w.get("annotations_snapshot_id").asLong()
            : null, w.path("provider_pool_bps").asInt(), w.path("annotator_pool_bps").asInt(),
            w.path("reviewer_pool_bps").asInt()))
        : Optional.empty();
    return new PublishRunRecord(n.path(FORMAT_FIELD).asInt(0), n.path("dataset").asText(), n.path("tag").asText(),
        n.path("snapshot_id").asLong(-1), n.path("asset_id").asLong(), n.path("version_id").asLong(),
        n.path("manifest_cid").asText(""), txs, tokens, shares, inputs);
  }

  /**
   * The successful publish runs in {@code jobRuns} (ops.job_runs) at {@code snapshotId} (-1: the current snapshot),
   * oldest first.
   */
  public static List<Dated> read(Table jobRuns, long snapshotId) {
    jobRuns.refresh();
    List<Dated> out = new ArrayList<>();
    if (jobRuns.currentSnapshot() == null) {
      return out;
    }
    long snapshot = snapshotId >= 0 ? snapshotId : jobRuns.currentSnapshot().snapshotId();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(jobRuns).useSnapshot(snapshot)
        .where(Expressions.and(Expressions.equal("job_name", JOB_NAME), Expressions.equal("status", "succeeded")))
        .select("started_at", "params_json").build()) {
      for (Record r : rows) {
        String params = (String) r.getField("params_json");
        if (params == null) {
          continue;
        }
        out.add(new Dated(fromJson(JSON.readTree(params)), (OffsetDateTime) r.getField("started_at")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing(Dated::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    return out;
  }
}
