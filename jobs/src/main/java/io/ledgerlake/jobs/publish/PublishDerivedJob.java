package io.ledgerlake.jobs.publish;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInput;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.lineage.LineageEdge;
import io.ledgerlake.lakehouse.lineage.NodeKind;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.chain.PublishedVersion;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code ledgerlake publish --model ID} and {@code publish --index CID}: registers a derived artifact — a trained model
 * (ml.models) or a RAG vector index (rag.indexes) — on chain as an asset of its kind, whose version commits to the
 * artifact's CID and names the dataset version it was built from as its parent (and, for a fine-tune, the base model's
 * version), so that every payment for it pays the dataset asset its royalty (LAP-style, docs/decisions/
 * provenance-royalty-model.md) and through it the dataset's contributors. The builder (this account) gets the
 * version's receipt. Idempotent: an artifact published before is not registered again.
 */
public final class PublishDerivedJob implements Job<PublishDerivedJob.Params, PublishDerivedJob.Result> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What is published; the job name of each kind is what ops.job_runs and reconcile know it by. */
  public enum Kind {
    MODEL("publish-model", AssetKind.MODEL, ContributorRole.MODEL_TRAINER, NodeKind.MODEL, TableModel.ML_MODELS),
    INDEX("publish-index", AssetKind.RAG_INDEX, ContributorRole.OWNER, NodeKind.INDEX, TableModel.RAG_INDEXES);

    private final String jobName;
    private final AssetKind assetKind;
    private final ContributorRole builderRole;
    private final NodeKind nodeKind;
    private final TableDefinition table;

    Kind(String jobName, AssetKind assetKind, ContributorRole builderRole, NodeKind nodeKind, TableDefinition table) {
      this.jobName = jobName;
      this.assetKind = assetKind;
      this.builderRole = builderRole;
      this.nodeKind = nodeKind;
      this.table = table;
    }

    public String jobName() {
      return jobName;
    }

    /** The kind's name in chain.assets and asset metadata ({@code model}, {@code rag-index}; as the indexer names it). */
    public String chainKind() {
      return assetKind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Optional<Kind> ofJobName(String name) {
      for (Kind k : values()) {
        if (k.jobName.equals(name)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * The artifact — a model id ({@code mdl-...}) or an index CID — and the royalty its own descendants (fine-tunes)
   * will pay it.
   */
  public record Params(String id, int royaltyBps) implements JobParams {
    public Params {
      requireNonNull(id, "id");
      if (royaltyBps < 0 || royaltyBps > 5_000) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "--royalty-bps must be in 0..5000, not %d", royaltyBps);
      }
    }

    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("id", id).put("royalty_bps", royaltyBps);
    }
  }

  /** The artifact's on-chain registration. {@code alreadyPublished}: found from an earlier run, nothing sent. */
  public record Result(Kind kind, String id, String cid, String datasetTag, long assetId, long versionId,
      long parentAssetId, long parentVersionId, List<Long> parentVersionIds, List<Long> receiptTokenIds,
      List<String> txHashes, boolean alreadyPublished) implements JobResult {
    public Result {
      parentVersionIds = List.copyOf(parentVersionIds);
      receiptTokenIds = List.copyOf(receiptTokenIds);
      txHashes = List.copyOf(txHashes);
    }

    @Override
    public List<JobOutput> outputs() {
      return List.of(JobOutput.content(cid));
    }

    @Override
    public ObjectNode details() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("kind", kind.name().toLowerCase(Locale.ROOT));
      // Models keep the field names of the first format (publish-model runs written before indexes existed).
      n.put(kind == Kind.MODEL ? "model_id" : "index_id", id);
      n.put(kind == Kind.MODEL ? "model_cid" : "index_cid", cid);
      n.put("dataset_tag", datasetTag);
      n.put("asset_id", assetId);
      n.put("version_id", versionId);
      n.put("parent_asset_id", parentAssetId);
      n.put("parent_version_id", parentVersionId);
      var parents = n.putArray("parent_version_ids");
      parentVersionIds.forEach(parents::add);
      var tokens = n.putArray("receipt_token_ids");
      receiptTokenIds.forEach(tokens::add);
      var txs = n.putArray("tx_hashes");
      txHashes.forEach(txs::add);
      n.put("already_published", alreadyPublished);
      return n;
    }

    @Override
    public List<LineageEdge> edges() {
      return alreadyPublished ? List.of() : List.of(new LineageEdge(kind.nodeKind, cid, cid,
          NodeKind.ASSET_VERSION, assetId + "@" + versionId, cid, "registered_as"));
    }
  }

  /**
   * An artifact's earlier successful publication, from ops.job_runs.
   *
   * @param id the model id, or for an index its CID
   * @param parentVersionIds every on-chain parent: the dataset version, and for a fine-tune the base model's version
   */
  public record Publication(Kind kind, String id, String cid, String datasetTag, long assetId, long versionId,
      long parentAssetId, long parentVersionId, List<Long> parentVersionIds) {
    public Publication {
      parentVersionIds = List.copyOf(parentVersionIds);
    }
  }

  /** What the job reads of the artifact's own table. */
  private record Artifact(String cid, String datasetId, String tag, String baseModelId) {}

  private final ContentStore content;
  private final ProvenanceClient chain;
  private final Kind kind;

  /** Publishes artifacts of {@code kind}: one job (name) per kind, so that runs say what they registered. */
  public PublishDerivedJob(ContentStore content, ProvenanceClient chain, Kind kind) {
    this.content = requireNonNull(content, "content");
    this.chain = requireNonNull(chain, "chain");
    this.kind = requireNonNull(kind, "kind");
  }

  @Override
  public String name() {
    return kind.jobName;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    context.lakehouse().init();
    return PinnedInputs.of(PinnedInput.currentSnapshot(context.lakehouse(), kind.table),
        PinnedInput.currentSnapshot(context.lakehouse(), TableModel.OPS_JOB_RUNS));
  }

  @Override
  public Result run(Params p, PinnedInputs inputs, JobContext context) {
    Lakehouse lakehouse = context.lakehouse();
    String what = kind == Kind.MODEL ? "model" : "index";
    Artifact artifact = artifact(lakehouse, kind, p, inputs.snapshotOf(kind.table.qualifiedName()));
    String cid = artifact.cid();
    String tag = artifact.tag();
    long jobRuns = inputs.snapshotOf(TableModel.OPS_JOB_RUNS.qualifiedName());
    Optional<Publication> earlier = publications(lakehouse, jobRuns).stream()
        .filter(x -> x.kind() == kind && x.cid().equals(cid)).findFirst();
    if (earlier.isPresent()) {
      Publication e = earlier.get();
      context.progress().printf("%s %s is already asset %d version %d; nothing sent%n", capitalized(what), p.id(),
          e.assetId(), e.versionId());
      return new Result(kind, e.id(), e.cid(), e.datasetTag(), e.assetId(), e.versionId(), e.parentAssetId(),
          e.parentVersionId(), e.parentVersionIds(), List.of(), List.of(), true);
    }
    DatasetPublisher.Publication parent = DatasetPublisher.publicationsByDataset(lakehouse, jobRuns)
        .getOrDefault(artifact.datasetId(), List.of()).stream().filter(x -> x.tag().equals(tag)).findFirst()
        .orElseThrow(() -> new LakehouseException(ErrorCategory.USER_ERROR,
            "%s %s was built from %s, which is not published on chain; run 'ledgerlake publish --dataset %s' first"
                + " (a derived asset can only be registered with a registered parent version)", what, p.id(), tag,
            artifact.datasetId()));
    // A fine-tune derives from its base model too, so that royalties reach the base's contributors as well.
    List<Long> parents = new ArrayList<>(List.of(parent.versionId()));
    String baseId = artifact.baseModelId();
    if (baseId != null) {
      Publication basePublication = publications(lakehouse, jobRuns).stream()
          .filter(x -> x.kind() == Kind.MODEL && x.id().equals(baseId)).findFirst()
          .orElseThrow(() -> new LakehouseException(ErrorCategory.USER_ERROR,
              "model %s was fine-tuned from %s, which is not published on chain; run 'ledgerlake publish --model %s'"
                  + " first", p.id(), baseId, baseId));
      parents.add(basePublication.versionId());
    }
    // The content must be in the store before the chain commits to it.
    try {
      content.exportCar(io.ledgerlake.content.multiformats.Cid.parse(cid), java.io.OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, e, "%s %s content %s is not in the content store: %s", what,
          p.id(), cid, e.getMessage());
    }
    List<String> txs = new ArrayList<>();
    String metadata = content.add(new ByteArrayInputStream(("{\"kind\":\"" + kind.chainKind() + "\",\"" + what
        + "\":\"" + p.id() + "\",\"cid\":\"" + cid + "\",\"built_from\":\"" + tag + "\"}\n")
        .getBytes(StandardCharsets.UTF_8)), Profile.DEFAULT).cid().toString();
    var asset = chain.registerAsset(kind.assetKind, p.royaltyBps(), metadata);
    txs.add(asset.tx().hash());
    PublishedVersion published = chain.publishVersion(asset.value(), ContentCommitment.ofCidText(cid), parents,
        List.of(new ReceiptShare(chain.account(), kind.builderRole, ReceiptShare.TOTAL_BPS)));
    txs.add(published.versionTx().hash());
    txs.add(published.receiptsTx().hash());
    context.progress().printf("Registered %s %s as asset %d version %d, derived from %s (asset %d version %d)%n", what,
        p.id(), asset.value(), published.versionId(), tag, parent.assetId(), parent.versionId());
    return new Result(kind, p.id(), cid, tag, asset.value(), published.versionId(), parent.assetId(),
        parent.versionId(), parents, published.tokenIds(), txs, false);
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static Artifact artifact(Lakehouse lakehouse, Kind kind, Params p, long snapshot) {
    Table table = lakehouse.table(kind.table);
    String key = kind == Kind.MODEL ? "model_id" : "index_cid";
    if (snapshot >= 0) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshot)
          .where(Expressions.equal(key, p.id())).build()) {
        for (Record r : rows) {
          return kind == Kind.MODEL
              ? new Artifact((String) r.getField("model_cid"), (String) r.getField("dataset_id"),
                  (String) r.getField("version_tag"), (String) r.getField("parent_model_id"))
              : new Artifact((String) r.getField("index_cid"), (String) r.getField("dataset_id"),
                  (String) r.getField("version_tag"), null);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw kind == Kind.MODEL
        ? new LakehouseException(ErrorCategory.USER_ERROR, "no model %s in ml.models; list them with 'ledgerlake models'",
            p.id())
        : new LakehouseException(ErrorCategory.USER_ERROR,
            "no index %s in rag.indexes; build one with 'ledgerlake rag build --dataset ID --version TAG'", p.id());
  }

  /** Successful publications of models and indexes recorded in ops.job_runs at {@code snapshot} (-1: current). */
  public static List<Publication> publications(Lakehouse lakehouse, long snapshot) {
    Table runs = lakehouse.table(TableModel.OPS_JOB_RUNS);
    runs.refresh();
    List<Publication> out = new ArrayList<>();
    if (runs.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(runs)
        .useSnapshot(snapshot >= 0 ? snapshot : runs.currentSnapshot().snapshotId())
        .where(Expressions.and(Expressions.in("job_name", Kind.MODEL.jobName, Kind.INDEX.jobName),
            Expressions.equal("status", "succeeded"))).build()) {
      for (Record r : rows) {
        Kind kind = Kind.ofJobName((String) r.getField("job_name")).orElseThrow();
        JsonNode d = JSON.readTree((String) r.getField("params_json"));
        if (d.path("already_published").asBoolean(false)) {
          continue;
        }
        List<Long> parentIds = new ArrayList<>();
        d.path("parent_version_ids").forEach(x -> parentIds.add(x.asLong()));
        if (parentIds.isEmpty()) {
          parentIds.add(d.path("parent_version_id").asLong());
        }
        String id = d.path(kind == Kind.MODEL ? "model_id" : "index_id").asText();
        String cid = d.path(kind == Kind.MODEL ? "model_cid" : "index_cid").asText();
        out.add(new Publication(kind, id, cid, d.path("dataset_tag").asText(), d.path("asset_id").asLong(),
            d.path("version_id").asLong(), d.path("parent_asset_id").asLong(), d.path("parent_version_id").asLong(),
            parentIds));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** By on-chain version id, for reconcile. */
  public static Map<Long, Publication> byVersionId(Lakehouse lakehouse, long snapshot) {
    Map<Long, Publication> out = new java.util.LinkedHashMap<>();
    publications(lakehouse, snapshot).forEach(x -> out.put(x.versionId(), x));
    return out;
  }
}
