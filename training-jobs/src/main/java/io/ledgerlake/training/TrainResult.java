package io.ledgerlake.training;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.lakehouse.lineage.LineageEdge;
import io.ledgerlake.lakehouse.lineage.NodeKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What a training run produced: the model (id, CID, whether it is new), the record counts of the curated view, and the
 * test metrics. Immutable.
 *
 * @param excluded records of the version left out by curation (0 when they were included on request)
 * @param unlabeled records with no curation decision yet (not in the curated view)
 */
public record TrainResult(String modelId, String modelCid, boolean newModel, String datasetId, String versionTag,
    long versionRecords, long excluded, long unlabeled, long trainCount, long testCount, ClassificationMetrics metrics,
    List<JobOutput> tableOutputs, String baseModelCid) implements JobResult {
  public TrainResult {
    requireNonNull(modelId, "modelId");
    requireNonNull(modelCid, "modelCid");
    requireNonNull(metrics, "metrics");
    tableOutputs = List.copyOf(tableOutputs);
  }

  public double accuracy() {
    return metrics.accuracy();
  }

  public double macroF1() {
    return metrics.macroF1();
  }

  @Override
  public List<JobOutput> outputs() {
    List<JobOutput> out = new ArrayList<>();
    out.add(JobOutput.content(modelCid));
    out.addAll(tableOutputs);
    return out;
  }

  @Override
  public long recordsIn() {
    return trainCount + testCount;
  }

  @Override
  public ObjectNode details() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("model_id", modelId);
    n.put("model_cid", modelCid);
    n.put("new_model", newModel);
    n.put("version_records", versionRecords);
    n.put("excluded", excluded);
    n.put("unlabeled", unlabeled);
    n.put("train_records", trainCount);
    n.put("test_records", testCount);
    n.set("metrics", metrics.toJson());
    if (baseModelCid != null) {
      n.put("base_model_cid", baseModelCid);
    }
    return n;
  }

  /** Model lineage: the dataset version it was trained on → the model, and for a fine-tune the base → the model. */
  @Override
  public List<LineageEdge> edges() {
    if (!newModel) {
      return List.of();
    }
    List<LineageEdge> edges = new ArrayList<>();
    edges.add(new LineageEdge(NodeKind.DATASET_VERSION, versionTag, null, NodeKind.MODEL, modelCid, modelCid, "trained_on"));
    if (baseModelCid != null) {
      edges.add(new LineageEdge(NodeKind.MODEL, baseModelCid, baseModelCid, NodeKind.MODEL, modelCid, modelCid, "fine_tuned"));
    }
    return edges;
  }
}
