package io.ledgerlake.training.serve;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Predicts with the fitted pipeline a training run kept under {@code <data dir>/models/<model id>} (the same stages
 * {@code ledgerlake predict} applies: tokenizer, hashing TF, IDF, classifier), loaded once per model and kept. The
 * inputs become one small local DataFrame of a {@code text} column; the answer is in input order.
 */
public final class SparkModelPredictor implements ModelCallService.Predictor {
  private record Loaded(PipelineModel pipeline, String[] classes) {}

  private final LakehouseOptions lakehouse;
  private final SparkOptions spark;
  private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

  public SparkModelPredictor(LakehouseOptions lakehouse, SparkOptions spark) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.spark = requireNonNull(spark, "spark");
  }

  @Override
  public List<ModelCallService.Prediction> predict(ModelCallService.Target model, List<String> inputs) {
    Loaded m = loaded.computeIfAbsent(model.modelId(), this::load);
    SparkSession session = LakehouseSpark.session(lakehouse, spark);
    Dataset<Row> texts = session.createDataset(inputs, Encoders.STRING()).toDF("text")
        .withColumn("position", org.apache.spark.sql.functions.monotonically_increasing_id());
    List<Row> rows = m.pipeline().transform(texts).orderBy("position").select("prediction", "probability")
        .collectAsList();
    List<ModelCallService.Prediction> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      int index = (int) r.getDouble(0);
      out.add(new ModelCallService.Prediction(m.classes()[index], ((Vector) r.get(1)).apply(index)));
    }
    return out;
  }

  private Loaded load(String modelId) {
    Path saved = lakehouse.dataDir().resolve("models").resolve(modelId);
    if (!Files.isDirectory(saved.resolve("pipeline"))) {
      throw new LakehouseException(ErrorCategory.INTERNAL, "model %s is published, but its fitted pipeline is not in"
          + " %s: serve it from the data directory that trained it", modelId, saved);
    }
    PipelineModel pipeline = PipelineModel.load(saved.resolve("pipeline").toString());
    String[] classes = StringIndexerModel.load(saved.resolve("labels").toString()).labelsArray()[0];
    return new Loaded(pipeline, classes);
  }
}
