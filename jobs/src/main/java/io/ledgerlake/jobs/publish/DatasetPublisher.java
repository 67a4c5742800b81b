package io.ledgerlake.jobs.publish;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.stage.AnnotationTable;
import io.ledgerlake.labeling.stage.VersionContributions;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.lineage.LineageClosure;
import io.ledgerlake.lakehouse.lineage.NodeKind;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.versions.PublishRunRecord;
import io.ledgerlake.lakehouse.versions.DatasetManifest;
import io.ledgerlake.lakehouse.versions.DatasetVersions;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.chain.PublishedVersion;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ReceiptShare;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code ledgerlake publish}: freezes a dataset's current records as a version and registers it on
 * chain with its contributors' receipts.
 *
 * <ol>
 *   <li>tag the current {@code ingest.records} snapshot {@code <dataset>-v<n>};
 *   <li>build the version manifest (sorted record CIDs, {@link DatasetManifest}), store it in the
 *       content store: its root CID is the on-chain content commitment;
 *   <li>compute shares ({@link VersionShares}): data providers by the version's accepted records,
 *       annotators and reviewers of those records by count x quality, each role's pool split as
 *       configured ({@code ledgerlake.labeling.weights.*}), largest remainder rounding to exactly
 *       10,000 bps; the annotations snapshot and pools are recorded so reconcile recomputes the same;
 *   <li>register the dataset asset (first version only), the version and its receipts;
 *   <li>record the run (asset, version, manifest, transaction hashes) in {@code ops.job_runs} and
 *       lineage edges upload → version in {@code lineage.edges}, then refresh {@code lineage.closure} and tag its
 *       snapshot like the version.
 * </ol>
 */
public final class DatasetPublisher {
  public static final String JOB_NAME = PublishRunRecord.JOB_NAME;

  private final Lakehouse lakehouse;
  private final ContentStore content;
  private final ProvenanceClient chain;
  private final PrintWriter progress;
  private final VersionContributions.Pools pools;

  /** What a publish did. */
  public record Result(
      String datasetId,
      String tag,
      long snapshotId,
      long records,
      String manifestCid,
      long assetId,
      long versionId,
      List<ReceiptShare> shares,
      List<Long> receiptTokenIds,
      List<String> txHashes) {
    public Result {
      shares = List.copyOf(shares);
      receiptTokenIds = List.copyOf(receiptTokenIds);
      txHashes = List.copyOf(txHashes);
    }
  }

  public DatasetPublisher(Lakehouse lakehouse, ContentStore content, ProvenanceClient chain, PrintWriter progress) {
    this(lakehouse, content, chain, progress, LabelingOptions.defaults());
  }

  /** {@code labeling} gives the pools of the contribution weights ({@code ledgerlake.labeling.weights.*}). */
  public DatasetPublisher(Lakehouse lakehouse, ContentStore content, ProvenanceClient chain, PrintWriter progress,
      LabelingOptions labeling) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.content = requireNonNull(content, "content");
    this.chain = requireNonNull(chain, "chain");
    this.progress = requireNonNull(progress, "progress");
    this.pools = VersionContributions.Pools.of(requireNonNull(labeling, "labeling"));
  }

  /**
   * Publishes {@code datasetId}'s records as they are now, through the {@link JobRunner} ({@link PublishJob}): the
   * run is recorded in ops.job_runs with the snapshot it tagged, and in lineage.events.
   */
  public Result publish(String datasetId) {
    try {
      return new JobRunner(lakehouse, progress).run(new PublishJob(this), new PublishJob.Params(datasetId)).publication();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new LakehouseException(ErrorCategory.INTERNAL, e, "publishing %s failed: %s", datasetId, e.getMessage());
    }
  }

  /**
   * The work of one publish on the pinned {@code snapshot} of ingest.records (the job resolved it before the run, so
   * commits arriving meanwhile are not in the version). Lineage edges carry {@code runId}.
   */
  PublishJob.Result publishPinned(String datasetId, long snapshot, String runId) {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    DatasetVersions versions = lakehouse.versions(TableModel.INGEST_RECORDS);
    List<Publication> previous = publications(datasetId);

    // 1. Freeze: the next version number after every tag of this dataset.
    int next = versions.tags().keySet().stream().filter(t -> t.startsWith(datasetId + "-v")).mapToInt(DatasetPublisher::versionOf).max().orElse(0) + 1;
    String tag = DatasetVersions.tagName(datasetId, next);
    if (snapshot < 0) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "dataset %s has no ingested records; submit data before publishing", datasetId);
    }
    // Read and tag the same (pinned) snapshot, so commits arriving meanwhile are in neither.
    Contents contents = read(records, datasetId, snapshot);
    if (contents.cids.isEmpty()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "dataset %s has no ingested records; submit data before publishing", datasetId);
    }
    versions.tag(tag, snapshot);
    progress.printf("Tagged %s at snapshot %d: %d records from %d contributors%n", tag, snapshot, contents.cids.size(), contents.recordsByContributor.size());

    // 2. Manifest -> root CID, stored (synced and pinned) before it goes on chain.
    byte[] manifest = new DatasetManifest(datasetId, tag, new ArrayList<>(contents.cids)).toBytes();
    String manifestCid = content.add(new ByteArrayInputStream(manifest), Profile.DEFAULT).cid().toString();
    progress.printf("Manifest %s (%d bytes)%n", manifestCid, manifest.length);

    // 3. Shares: providers, annotators and reviewers of this version's records, as label.annotations is now.
    VersionShares.Inputs shareInputs = new VersionShares.Inputs(new AnnotationTable(lakehouse).currentSnapshotId(), pools);
    List<ReceiptShare> shares = VersionShares.compute(lakehouse, datasetId, contents.recordsByContributor, contents.cids, shareInputs);
    progress.printf("Shares: %s%n", shares.stream().map(x -> x.contributor() + ":" + x.role() + "=" + x.shareBps()).toList());

    // 4. Chain.
    List<String> txs = new ArrayList<>();
    long assetId;
    Optional<Publication> last = previous.stream().reduce((a, b) -> b);
    if (last.isPresent()) {
      assetId = last.get().assetId();
    } else {
      String metadata = content.add(new ByteArrayInputStream(("{\"dataset\":\"" + datasetId + "\",\"kind\":\"dataset\"}\n").getBytes(StandardCharsets.UTF_8)), Profile.DEFAULT).cid().toString();
      // The royalty is what derived assets (models, indexes) pay this dataset's contributors per payment.
      var asset = chain.registerAsset(AssetKind.DATASET, chain.options().datasetRoyaltyBps(), metadata);
      assetId = asset.value();
      txs.add(asset.tx().hash());
      progress.printf("Registered asset %d for dataset %s (tx %s)%n", assetId, datasetId, asset.tx().hash());
    }
    List<Long> parents = List.of();
    PublishedVersion published = chain.publishVersion(assetId, ContentCommitment.ofCidText(manifestCid), parents, shares);
    txs.add(published.versionTx().hash());
    txs.add(published.receiptsTx().hash());
    progress.printf("Registered version %d of asset %d with %d %s receipt(s) (txs %s, %s)%n",
        published.versionId(), assetId, shares.size(), published.mode().name().toLowerCase(), published.versionTx().hash(), published.receiptsTx().hash());

    // 5. Lakehouse records of what happened.
    Result result = new Result(datasetId, tag, snapshot, contents.cids.size(), manifestCid, assetId, published.versionId(), shares, published.tokenIds(), txs);
    recordEdges(result, contents.uploads, runId);
    // SQL walks lineage through lineage.closure: bring it up to date with the new edges, and tag that closure
    // snapshot like the version, so "lineage as of <tag>" is VERSION AS OF '<tag>' on lineage.closure.
    LineageClosure.Refresh closure = LineageClosure.refresh(lakehouse);
    LineageClosure.tag(lakehouse, closure, tag);
    return new PublishJob.Result(result, shareInputs);
  }

  private record Contents(TreeSet<String> cids, Map<String, Long> recordsByContributor, TreeSet<String> uploads) {}

  private static Contents read(Table records, String datasetId, long snapshot) {
    TreeSet<String> cids = new TreeSet<>();
    Map<String, Long> counts = new TreeMap<>();
    TreeSet<String> uploads = new TreeSet<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(records).useSnapshot(snapshot).where(Expressions.equal("dataset_id", datasetId)).select("record_cid", "contributor", "content_cid").build()) {
      for (Record r : rows) {
        // Records are unique per dataset (the ingestion job drops duplicates); count each CID once anyway.
        if (cids.add((String) r.getField("record_cid"))) {
          counts.merge((String) r.getField("contributor"), 1L, Long::sum);
        }
        uploads.add((String) r.getField("content_cid"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Contents(cids, counts, uploads);
  }

  /**
   * A previous successful publish of a dataset, from ops.job_runs.
   *
   * @param shareInputs what its shares were computed from (runs from before annotations counted: no annotations,
   *     default pools, which reproduces their provider-only shares)
   */
  public record Publication(String tag, long assetId, long versionId, String manifestCid, List<Long> receiptTokenIds,
      VersionShares.Inputs shareInputs) {
    public Publication {
      receiptTokenIds = List.copyOf(receiptTokenIds);
      requireNonNull(shareInputs, "shareInputs");
    }

    public Publication(String tag, long assetId, long versionId, String manifestCid, List<Long> receiptTokenIds) {
      this(tag, assetId, versionId, manifestCid, receiptTokenIds, VersionShares.Inputs.LEGACY);
    }
  }


  /** Successful publishes of {@code datasetId}, oldest first. */
  public List<Publication> publications(String datasetId) {
    return publicationsByDataset(lakehouse).getOrDefault(datasetId, List.of());
  }

  /** Successful publishes of every dataset from ops.job_runs, oldest first, by dataset id. */
  public static Map<String, List<Publication>> publicationsByDataset(Lakehouse lakehouse) {
    return publicationsByDataset(lakehouse, -1);
  }

  /** As above, as of ops.job_runs snapshot {@code snapshotId} (-1: the current one). */
  public static Map<String, List<Publication>> publicationsByDataset(Lakehouse lakehouse, long snapshotId) {
    Map<String, List<Publication>> out = new TreeMap<>();
    for (PublishRunRecord.Dated d : PublishRunRecord.read(lakehouse.table(TableModel.OPS_JOB_RUNS), snapshotId)) {
      PublishRunRecord p = d.record();
      VersionShares.Inputs inputs = p.shareInputs()
          .map(w -> new VersionShares.Inputs(w.annotationsSnapshotId(), new VersionContributions.Pools(
              w.providerPoolBps(), w.annotatorPoolBps(), w.reviewerPoolBps())))
          .orElse(VersionShares.Inputs.LEGACY);
      out.computeIfAbsent(p.dataset(), x -> new ArrayList<>()).add(new Publication(p.tag(), p.assetId(),
          p.versionId(), p.manifestCid(), p.receiptTokenIds(), inputs));
    }
    return out;
  }

  /**
   * What ops.job_runs.params_json holds about a publish (next to the runner's {@code params}): the typed
   * {@link PublishRunRecord}, read back by {@link #publicationsByDataset}, the indexer's lakehouse tags and reconcile.
   */
  static ObjectNode runDetails(Result r, VersionShares.Inputs inputs) {
    return PublishRunRecord.of(r.datasetId(), r.tag(), r.snapshotId(), r.assetId(), r.versionId(), r.manifestCid(),
        r.txHashes(), r.receiptTokenIds(),
        r.shares().stream().map(x -> new PublishRunRecord.Share(x.contributor(), x.role().name(), x.shareBps())).toList(),
        new PublishRunRecord.ShareInputs(inputs.annotationsSnapshot(), inputs.pools().providerBps(),
            inputs.pools().annotatorBps(), inputs.pools().reviewerBps())).toJson();
  }

  private void recordEdges(Result r, TreeSet<String> uploads, String runId) {
    Table edges = lakehouse.table(TableModel.LINEAGE_EDGES);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<Record> rows = new ArrayList<>();
    for (String upload : uploads) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("source_kind", NodeKind.SUBMISSION.id());
      v.put("source_id", upload);
      v.put("source_cid", upload);
      v.put("target_kind", NodeKind.DATASET_VERSION.id());
      v.put("target_id", r.tag());
      v.put("target_cid", r.manifestCid());
      v.put("relation", "contains");
      v.put("run_id", runId);
      v.put("recorded_at", now);
      rows.add(Rows.of(edges.schema(), v));
    }
    Map<String, Object> reg = new LinkedHashMap<>();
    reg.put("source_kind", NodeKind.DATASET_VERSION.id());
    reg.put("source_id", r.tag());
    reg.put("source_cid", r.manifestCid());
    reg.put("target_kind", NodeKind.ASSET_VERSION.id());
    reg.put("target_id", r.assetId() + "@" + r.versionId());
    reg.put("target_cid", r.manifestCid());
    reg.put("relation", "registered_as");
    reg.put("run_id", runId);
    reg.put("recorded_at", now);
    rows.add(Rows.of(edges.schema(), reg));
    TableAppender.append(edges, rows);
  }

  private static int versionOf(String tag) {
    try {
      return Integer.parseInt(tag.substring(tag.lastIndexOf("-v") + 2));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
