package io.ledgerlake.training;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInput;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ledgerlake predict}: a trained model's predictions over the curated view of a pinned dataset version, into
 * ml.predictions (model id, record CID, predicted class, its probability). Once per model and version: a rerun finds
 * the rows and writes nothing.
 */
public final class PredictJob implements Job<PredictJob.Params, PredictJob.Result> {
  public static final String NAME = "predict";

  public record Params(String modelId, String datasetId, String versionTag) implements JobParams {
    public Params {
      requireNonNull(modelId, "modelId");
      requireNonNull(datasetId, "datasetId");
      requireNonNull(versionTag, "versionTag");
    }

    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("model", modelId).put("dataset", datasetId)
          .put("version", versionTag);
    }
  }

  /** {@code predictionsSnapshot} is -1 when the predictions existed already. */
  public record Result(String modelId, String versionTag, long predictions, long predictionsSnapshot) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return predictionsSnapshot < 0 ? List.of()
          : List.of(JobOutput.table(TableModel.ML_PREDICTIONS.qualifiedName(), predictionsSnapshot));
    }

    @Override
    public long recordsOut() {
      return predictions;
    }
  }

  private final SparkOptions sparkOptions;

  public PredictJob(SparkOptions sparkOptions) {
    this.sparkOptions = requireNonNull(sparkOptions, "sparkOptions");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params p, JobContext context) {
    Lakehouse lakehouse = context.lakehouse();
    lakehouse.init();
    if (!p.versionTag().startsWith(p.datasetId() + "-v")) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "version %s is not a version of dataset %s", p.versionTag(), p.datasetId());
    }
    long records = lakehouse.versions(TableModel.INGEST_RECORDS).snapshotOf(p.versionTag());
    return PinnedInputs.of(PinnedInput.tag(TableModel.INGEST_RECORDS.qualifiedName(), p.versionTag(), records),
        PinnedInput.currentSnapshot(lakehouse, TableModel.LABEL_LABELS),
        PinnedInput.currentSnapshot(lakehouse, TableModel.ML_PREDICTIONS));
  }

  @Override
  public Result run(Params p, PinnedInputs inputs, JobContext context) {
    Lakehouse lakehouse = context.lakehouse();
    long existing = count(lakehouse, p, inputs.snapshotOf(TableModel.ML_PREDICTIONS.qualifiedName()));
    if (existing > 0) {
      context.progress().printf("Model %s already predicted %s (%d rows in ml.predictions)%n", p.modelId(), p.versionTag(), existing);
      return new Result(p.modelId(), p.versionTag(), existing, -1);
    }
    Path saved = lakehouse.options().dataDir().resolve("models").resolve(p.modelId());
    if (!Files.isDirectory(saved.resolve("pipeline"))) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "no model %s in this data directory (%s); list them with"
          + " 'ledgerlake models'", p.modelId(), saved);
    }
    PipelineModel model = PipelineModel.load(saved.resolve("pipeline").toString());
    String[] classes = org.apache.spark.ml.feature.StringIndexerModel.load(saved.resolve("labels").toString()).labelsArray()[0];
    SparkSession spark = LakehouseSpark.session(lakehouse.options(), sparkOptions);
    // The same curated view training reads; the label is not needed (a field no record has reads as null).
    TrainParams view = new TrainParams(p.datasetId(), p.versionTag(), LabelSource.parse("field:_none_"), Algorithm.LOGREG,
        0, false, "text", 16, 1, 20);
    Dataset<Row> rows = CuratedView.rows(spark, view, inputs.snapshotOf(TableModel.INGEST_RECORDS.qualifiedName()),
        inputs.snapshotOf(TableModel.LABEL_LABELS.qualifiedName()), -1)
        .filter(col("curation").equalTo("included")).filter(col("text").isNotNull());
    List<Row> predicted = model.transform(rows).select("record_cid", "prediction", "probability").collectAsList();
    if (predicted.isEmpty()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "the curated view of %s is empty: nothing to predict", p.versionTag());
    }
    Table table = lakehouse.table(TableModel.ML_PREDICTIONS);
    OffsetDateTime now = OffsetDateTime.now(context.clock()).withOffsetSameInstant(ZoneOffset.UTC);
    List<Record> out = new ArrayList<>(predicted.size());
    for (Row r : predicted) {
      int index = (int) r.getDouble(1);
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("model_id", p.modelId());
      v.put("dataset_id", p.datasetId());
      v.put("version_tag", p.versionTag());
      v.put("record_cid", r.getString(0));
      v.put("prediction", classes[index]);
      v.put("probability", ((Vector) r.get(2)).apply(index));
      v.put("run_id", context.runId().toString());
      v.put("predicted_at", now);
      out.add(Rows.of(table.schema(), v));
    }
    long snapshot = TableAppender.append(table, out);
    context.progress().printf("Model %s predicted %d record(s) of %s into ml.predictions%n", p.modelId(), out.size(), p.versionTag());
    return new Result(p.modelId(), p.versionTag(), out.size(), snapshot);
  }

  private static long count(Lakehouse lakehouse, Params p, long snapshot) {
    if (snapshot < 0) {
      return 0;
    }
    long n = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(lakehouse.table(TableModel.ML_PREDICTIONS)).useSnapshot(snapshot)
        .where(Expressions.and(Expressions.equal("model_id", p.modelId()), Expressions.equal("version_tag", p.versionTag())))
        .select("record_cid").build()) {
      for (Record ignored : rows) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }
}
