package io.ledgerlake.training;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.feature.IDFModel;
import org.apache.spark.ml.feature.StringIndexerModel;

/**
 * The model a fine-tune starts from: its ml.models row and its fitted stages (kept by the training run under
 * {@code <data-dir>/models/<model id>/}). Only the multilayer perceptron can be warm-started in MLlib
 * ({@code setInitialWeights} is public); logistic regression's {@code setInitialModel} is {@code private[spark]} and
 * trees are rebuilt from scratch, so those are refused with the reason (docs/training.md#fine-tuning).
 */
public record BaseModel(String modelId, String cid, String datasetId, String versionTag, long recordsSnapshot,
    int numFeatures, IDFModel idf, StringIndexerModel labels, MultilayerPerceptronClassificationModel mlp) {

  /** The hashed feature count of {@code modelId}, which a fine-tune must keep. */
  public static int numFeaturesOf(Lakehouse lakehouse, String modelId) {
    org.apache.iceberg.Table models = lakehouse.table(TableModel.ML_MODELS);
    models.refresh();
    long snapshot = models.currentSnapshot() == null ? -1 : models.currentSnapshot().snapshotId();
    Record row = row(lakehouse, modelId, snapshot);
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree((String) row.getField("params_json"))
          .path("num_features").asInt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The newest (by {@code created_at}) mlp model trained on {@code datasetId}: the base a scheduled "fine-tune the
   * dataset's latest model on each new version" starts from. A USER_ERROR when there is none.
   */
  public static String latestOf(Lakehouse lakehouse, String datasetId) {
    org.apache.iceberg.Table models = lakehouse.table(TableModel.ML_MODELS);
    models.refresh();
    String latest = null;
    java.time.OffsetDateTime latestAt = null;
    if (models.currentSnapshot() != null) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(models)
          .where(Expressions.and(Expressions.equal("dataset_id", datasetId),
              Expressions.equal("algorithm", Algorithm.MLP.id())))
          .select("model_id", "created_at").build()) {
        for (Record r : rows) {
          java.time.OffsetDateTime at = (java.time.OffsetDateTime) r.getField("created_at");
          if (latestAt == null || at.isAfter(latestAt)) {
            latest = (String) r.getField("model_id");
            latestAt = at;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (latest == null) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "no mlp model of dataset %s in ml.models to fine-tune; train"
          + " one first ('ledgerlake train --algorithm mlp')", datasetId);
    }
    return latest;
  }

  private static Record row(Lakehouse lakehouse, String modelId, long modelsSnapshot) {
    Record row = null;
    if (modelsSnapshot >= 0) {
      try (CloseableIterable<Record> rows = IcebergGenerics.read(lakehouse.table(TableModel.ML_MODELS))
          .useSnapshot(modelsSnapshot).where(Expressions.equal("model_id", modelId)).build()) {
        for (Record r : rows) {
          row = r.copy();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (row == null) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "no base model %s in ml.models; list them with 'ledgerlake models'", modelId);
    }
    return row;
  }

  static BaseModel load(Lakehouse lakehouse, String modelId, long modelsSnapshot) {
    Record row = row(lakehouse, modelId, modelsSnapshot);
    String algorithm = (String) row.getField("algorithm");
    if (!Algorithm.MLP.id().equals(algorithm)) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "base model %s is %s, which MLlib cannot warm-start (only mlp has public initial weights); fine-tune an mlp"
              + " model, or train %s from scratch on the new version", modelId, algorithm, algorithm);
    }
    Path saved = lakehouse.options().dataDir().resolve("models").resolve(modelId);
    if (!Files.isDirectory(saved.resolve("pipeline")) || !Files.isDirectory(saved.resolve("labels"))) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "base model %s has no fitted stages under %s (they stay in the data directory that trained it)", modelId, saved);
    }
    PipelineModel pipeline = PipelineModel.load(saved.resolve("pipeline").toString());
    StringIndexerModel labels = StringIndexerModel.load(saved.resolve("labels").toString());
    int numFeatures;
    try {
      numFeatures = new com.fasterxml.jackson.databind.ObjectMapper().readTree((String) row.getField("params_json"))
          .path("num_features").asInt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BaseModel(modelId, (String) row.getField("model_cid"), (String) row.getField("dataset_id"),
        (String) row.getField("version_tag"), (Long) row.getField("records_snapshot_id"), numFeatures,
        (IDFModel) pipeline.stages()[2], labels, (MultilayerPerceptronClassificationModel) pipeline.stages()[3]);
  }
}
