package io.ledgerlake.training;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.lakehouse.LakehouseException;

/**
 * Parameters of a training run. Everything that decides the model is here (with the pinned inputs), so the same
 * parameters on the same version give the same model CID. Immutable.
 *
 * @param textField the record field holding the text (the PII-redacted copy is used where labeling made one)
 * @param numFeatures hashed text features (a power of two keeps the hashing even)
 * @param testPercent share of records, by record CID hash, held out for evaluation
 * @param baseModelId the model to fine-tune (warm start from its weights), or null to train from scratch
 * @param incremental with a base model of the same dataset: read only the records added since the base model's
 *     snapshot (Iceberg's incremental read between the two snapshot ids)
 */
public record TrainParams(String datasetId, String versionTag, LabelSource label, Algorithm algorithm, long seed,
    boolean includeExcluded, String textField, int numFeatures, int maxIter, int testPercent, String baseModelId,
    boolean incremental) implements JobParams {
  /** Training from scratch. */
  public TrainParams(String datasetId, String versionTag, LabelSource label, Algorithm algorithm, long seed,
      boolean includeExcluded, String textField, int numFeatures, int maxIter, int testPercent) {
    this(datasetId, versionTag, label, algorithm, seed, includeExcluded, textField, numFeatures, maxIter, testPercent,
        null, false);
  }

  public TrainParams {
    check(!incremental || baseModelId != null, "--incremental needs a base model (%s)", "--base MODEL_ID");
    requireNonNull(datasetId, "datasetId");
    requireNonNull(versionTag, "versionTag");
    requireNonNull(label, "label");
    requireNonNull(algorithm, "algorithm");
    requireNonNull(textField, "textField");
    check(LabelSource.NAME.matcher(datasetId).matches(), "dataset id '%s' is not a dataset id", datasetId);
    check(LabelSource.NAME.matcher(textField).matches(), "text field '%s' must be letters, digits, '_', '-', '.'", textField);
    check(numFeatures >= 16 && numFeatures <= (1 << 22), "--features must be in 16..4194304, not %s", numFeatures);
    check(maxIter >= 1 && maxIter <= 10_000, "--max-iter must be in 1..10000, not %s", maxIter);
    check(testPercent >= 1 && testPercent <= 90, "--test-percent must be in 1..90, not %s", testPercent);
  }

  private static void check(boolean ok, String message, Object value) {
    if (!ok) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, message, value);
    }
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("dataset", datasetId);
    n.put("version", versionTag);
    n.put("label", label.toString());
    n.put("algorithm", algorithm.id());
    n.put("seed", seed);
    n.put("include_excluded", includeExcluded);
    n.put("text_field", textField);
    n.put("num_features", numFeatures);
    n.put("max_iter", maxIter);
    n.put("test_percent", testPercent);
    if (baseModelId != null) {
      n.put("base_model", baseModelId);
      n.put("incremental", incremental);
    }
    return n;
  }
}
