package io.ledgerlake.jobs.publish;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.ledgerlake.lakehouse.LakehouseException.Category;
import io.ledgerlake.lakehouse.lineage.LineageEdge;
import io.ledgerlake.lakehouse.lineage.NodeKind;
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
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code ledgerlake publish --model ID}: registers a trained model (ml.models) on chain as a derived asset of kind
 * model, whose version commits to the model's CID and names the dataset version it was trained on as its parent,
 * so that every payment for the model pays the dataset asset its royalty (LAP-style, docs/decisions/
 * provenance-royalty-model.md) and through it the dataset's contributors. The trainer (this account) gets the
 * model version's receipt. Idempotent: a model published before is not registered again.
 */
public final class PublishModelJob implements Job<PublishModelJob.Params, PublishModelJob.Result> {
  public static final String NAME = "publish-model";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The model, and the royalty its own descendants (fine-tunes) will pay it. */
  public record Params(String modelId, int royaltyBps) implements JobParams {
    public Params {
      requireNonNull(modelId, "modelId");
      if (royaltyBps < 0 || royaltyBps > 5_000) {
        throw new LakehouseException(Category.USER_ERROR, "--royalty-bps must be in 0..5000, not %d", royaltyBps);
      }
    }

    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("model_id", modelId).put("royalty_bps", royaltyBps);
    }
  }

  /** The model's on-chain registration. {@code alreadyPublished}: found from an earlier run, nothing sent. */
  public record Result(String modelId, String modelCid, String datasetTag, long assetId, long versionId,
      long parentAssetId, long parentVersionId, List<Long> parentVersionIds, List<Long> receiptTokenIds,
      List<String> txHashes, boolean alreadyPublished) implements JobResult {
    public Result {
      parentVersionIds = List.copyOf(parentVersionIds);
      receiptTokenIds = List.copyOf(receiptTokenIds);
      txHashes = List.copyOf(txHashes);
    }

    @Override
    public List<JobOutput> outputs() {
      return List.of(JobOutput.content(modelCid));
    }

    @Override
    public ObjectNode details() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("model_id", modelId);
      n.put("model_cid", modelCid);
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
      return alreadyPublished ? List.of() : List.of(new LineageEdge(NodeKind.MODEL, modelCid, modelCid,
          NodeKind.ASSET_VERSION, assetId + "@" + versionId, modelCid, "registered_as"));
    }
  }

  /**
   * A model's earlier successful publication, from ops.job_runs.
   *
   * @param parentVersionIds every on-chain parent: the dataset version, and for a fine-tune the base model's version
   */
  public record Publication(String modelId, String modelCid, String datasetTag, long assetId, long versionId,
      long parentAssetId, long parentVersionId, List<Long> parentVersionIds) {
    public Publication {
      parentVersionIds = List.copyOf(parentVersionIds);
    }
  }

  private final ContentStore content;
  private final ProvenanceClient chain;

  public PublishModelJob(ContentStore content, ProvenanceClient chain) {
    this.content = requireNonNull(content, "content");
    this.chain = requireNonNull(chain, "chain");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    context.lakehouse().init();
    return PinnedInputs.of(PinnedInput.currentSnapshot(context.lakehouse(), TableModel.ML_MODELS),
        PinnedInput.currentSnapshot(context.lakehouse(), TableModel.OPS_JOB_RUNS));
  }


  @Override
  public Result run(Params p, PinnedInputs inputs, JobContext context) {
    Lakehouse lakehouse = context.lakehouse();
    Record model = model(lakehouse, p.modelId(), inputs.snapshotOf(TableModel.ML_MODELS.qualifiedName()));
    String cid = (String) model.getField("model_cid");
    String tag = (String) model.getField("version_tag");
    String dataset = (String) model.getField("dataset_id");
    long jobRuns = inputs.snapshotOf(TableModel.OPS_JOB_RUNS.qualifiedName());
    Optional<Publication> earlier = publications(lakehouse, jobRuns).stream()
        .filter(x -> x.modelId().equals(p.modelId())).findFirst();
    if (earlier.isPresent()) {
      Publication e = earlier.get();
      context.progress().printf("Model %s is already asset %d version %d; nothing sent%n", p.modelId(), e.assetId(), e.versionId());
      return new Result(e.modelId(), e.modelCid(), e.datasetTag(), e.assetId(), e.versionId(), e.parentAssetId(),
          e.parentVersionId(), e.parentVersionIds(), List.of(), List.of(), true);
    }
    DatasetPublisher.Publication parent = DatasetPublisher.publicationsByDataset(lakehouse, jobRuns)
        .getOrDefault(dataset, List.of()).stream().filter(x -> x.tag().equals(tag)).findFirst()
        .orElseThrow(() -> new LakehouseException(Category.USER_ERROR,
            "model %s was trained on %s, which is not published on chain; run 'ledgerlake publish --dataset %s' first"
                + " (a model can only be registered as derived from a registered version)", p.modelId(), tag, dataset));
    // A fine-tune derives from its base model too, so that royalties reach the base's contributors as well.
    List<Long> parents = new ArrayList<>(List.of(parent.versionId()));
    String baseId = (String) model.getField("parent_model_id");
    if (baseId != null) {
      Publication basePublication = publications(lakehouse, jobRuns).stream().filter(x -> x.modelId().equals(baseId))
          .findFirst().orElseThrow(() -> new LakehouseException(Category.USER_ERROR,
              "model %s was fine-tuned from %s, which is not published on chain; run 'ledgerlake publish --model %s'"
                  + " first", p.modelId(), baseId, baseId));
      parents.add(basePublication.versionId());
    }
    // The content must be in the store before the chain commits to it.
    try {
      content.exportCar(io.ledgerlake.content.multiformats.Cid.parse(cid), java.io.OutputStream.nullOutputStream()); // every block, verified
    } catch (IOException | RuntimeException e) {
      throw new LakehouseException(Category.USER_ERROR, e, "model %s content %s is not in the content store: %s",
          p.modelId(), cid, e.getMessage());
    }
    List<String> txs = new ArrayList<>();
    String metadata = content.add(new ByteArrayInputStream(("{\"kind\":\"model\",\"model\":\"" + p.modelId()
        + "\",\"cid\":\"" + cid + "\",\"trained_on\":\"" + tag + "\"}\n").getBytes(StandardCharsets.UTF_8)),
        Profile.DEFAULT).cid().toString();
    var asset = chain.registerAsset(AssetKind.MODEL, p.royaltyBps(), metadata);
    txs.add(asset.tx().hash());
    PublishedVersion published = chain.publishVersion(asset.value(), ContentCommitment.ofCidText(cid),
        parents, List.of(new ReceiptShare(chain.account(), ContributorRole.MODEL_TRAINER,
            ReceiptShare.TOTAL_BPS)));
    txs.add(published.versionTx().hash());
    txs.add(published.receiptsTx().hash());
    context.progress().printf("Registered model %s as asset %d version %d, derived from %s (asset %d version %d)%n",
        p.modelId(), asset.value(), published.versionId(), tag, parent.assetId(), parent.versionId());
    return new Result(p.modelId(), cid, tag, asset.value(), published.versionId(), parent.assetId(),
        parent.versionId(), parents, published.tokenIds(), txs, false);
  }

  private static Record model(Lakehouse lakehouse, String modelId, long snapshot) {
    Table models = lakehouse.table(TableModel.ML_MODELS);
    if (snapshot >= 0) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(models).useSnapshot(snapshot)
          .where(Expressions.equal("model_id", modelId)).build()) {
        for (Record r : rows) {
          return r.copy();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new LakehouseException(Category.USER_ERROR, "no model %s in ml.models; list them with 'ledgerlake models'",
        modelId);
  }

  /** Successful model publications recorded in ops.job_runs at {@code snapshot} (-1: current). */
  public static List<Publication> publications(Lakehouse lakehouse, long snapshot) {
    Table runs = lakehouse.table(TableModel.OPS_JOB_RUNS);
    runs.refresh();
    List<Publication> out = new ArrayList<>();
    if (runs.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(runs)
        .useSnapshot(snapshot >= 0 ? snapshot : runs.currentSnapshot().snapshotId())
        .where(Expressions.and(Expressions.equal("job_name", NAME), Expressions.equal("status", "succeeded"))).build()) {
      for (Record r : rows) {
        JsonNode d = JSON.readTree((String) r.getField("params_json"));
        if (d.path("already_published").asBoolean(false)) {
          continue;
        }
        List<Long> parentIds = new ArrayList<>();
        d.path("parent_version_ids").forEach(x -> parentIds.add(x.asLong()));
        if (parentIds.isEmpty()) {
          parentIds.add(d.path("parent_version_id").asLong());
        }
        out.add(new Publication(d.path("model_id").asText(), d.path("model_cid").asText(), d.path("dataset_tag").asText(),
            d.path("asset_id").asLong(), d.path("version_id").asLong(), d.path("parent_asset_id").asLong(),
            d.path("parent_version_id").asLong(), parentIds));
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
