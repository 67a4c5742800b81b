package io.ledgerlake.training;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.IDFModel;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ledgerlake train}: a Spark MLlib classifier on the curated view of a pinned dataset version.
 *
 * <p>Pins the version's ingest.records snapshot (its tag), label.labels (curation and redacted text) and, for consensus
 * labels, label.consensus; reads exactly those; splits train/test by a hash of the record CID (the same record is
 * always on the same side); fits hashed TF-IDF features and the chosen classifier with the given seed on a fixed
 * partitioning; evaluates on the test side; exports the model canonically ({@link ModelExport}) into the content store;
 * records it in ml.models (once per distinct model) and ml.runs. Every input check happens before anything is written.
 */
public final class TrainJob implements Job<TrainParams, TrainResult> {
  public static final String NAME = "train";
  /**
   * Training partitions. One, because MLlib's optimizers sum per-partition gradients on the driver in the order tasks
   * finish: with two partitions the same inputs gave weights differing in the last bits from one process to the next
   * (a different CID). One sorted partition makes every sum happen in one order. Scaling out needs a merge in
   * partition order first (docs/training.md).
   */
  static final int PARTITIONS = 1;

  private final ContentStore content;
  private final SparkOptions sparkOptions;

  public TrainJob(ContentStore content, SparkOptions sparkOptions) {
    this.content = requireNonNull(content, "content");
    this.sparkOptions = requireNonNull(sparkOptions, "sparkOptions");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(TrainParams p, JobContext context) {
    Lakehouse lakehouse = context.lakehouse();
    lakehouse.init(); // creates ml.* in lakehouses made before they existed
    if (!p.versionTag().startsWith(p.datasetId() + "-v")) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "version %s is not a version of dataset %s (tags are %s-v<n>; list them with 'ledgerlake tables')",
          p.versionTag(), p.datasetId(), p.datasetId());
    }
    long records = lakehouse.versions(TableModel.INGEST_RECORDS).snapshotOf(p.versionTag());
    List<PinnedInput> inputs = new ArrayList<>();
    inputs.add(PinnedInput.tag(TableModel.INGEST_RECORDS.qualifiedName(), p.versionTag(), records));
    inputs.add(PinnedInput.currentSnapshot(lakehouse, TableModel.LABEL_LABELS));
    if (p.label().kind() == LabelSource.Kind.CONSENSUS) {
      inputs.add(PinnedInput.currentSnapshot(lakehouse, TableModel.LABEL_CONSENSUS));
    }
    if (p.baseModelId() != null) {
      inputs.add(PinnedInput.currentSnapshot(lakehouse, TableModel.ML_MODELS));
    }
    return new PinnedInputs(inputs);
  }


  @Override
  public TrainResult run(TrainParams p, PinnedInputs inputs, JobContext context) throws IOException {
    long started = System.nanoTime();
    Lakehouse lakehouse = context.lakehouse();
    long recordsSnapshot = inputs.snapshotOf(TableModel.INGEST_RECORDS.qualifiedName());
    long labelsSnapshot = inputs.snapshotOf(TableModel.LABEL_LABELS.qualifiedName());
    long consensusSnapshot = inputs.table(TableModel.LABEL_CONSENSUS.qualifiedName()).map(PinnedInput::snapshotId).orElse(-1L);
    BaseModel base = p.baseModelId() == null ? null
        : BaseModel.load(lakehouse, p.baseModelId(), inputs.snapshotOf(TableModel.ML_MODELS.qualifiedName()));
    if (base != null && base.numFeatures() != p.numFeatures()) {
      throw userError("fine-tuning keeps the base model's features: --features must be %d (the base's), not %d",
          base.numFeatures(), p.numFeatures());
    }
    SparkSession spark = LakehouseSpark.session(lakehouse.options(), sparkOptions);
    // Everything cached for this run, released when it ends (the session outlives the run).
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      return train(p, inputs, context, spark, base, recordsSnapshot, labelsSnapshot, consensusSnapshot, started, cached);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  private TrainResult train(TrainParams p, PinnedInputs inputs, JobContext context, SparkSession spark, BaseModel base,
      long recordsSnapshot, long labelsSnapshot, long consensusSnapshot, long started, List<Dataset<Row>> cached)
      throws IOException {
    Lakehouse lakehouse = context.lakehouse();
    // 1. The version's records with their curation state; counts for the run record.
    Dataset<Row> all;
    if (p.incremental()) {
      // Snapshot ids are random: "later" means the base's snapshot is a proper ancestor of this version's.
      org.apache.iceberg.Table records = lakehouse.table(TableModel.INGEST_RECORDS);
      boolean later = base.recordsSnapshot() != recordsSnapshot
          && org.apache.iceberg.util.SnapshotUtil.isAncestorOf(records, recordsSnapshot, base.recordsSnapshot());
      if (!base.datasetId().equals(p.datasetId()) || !later) {
        throw userError("--incremental reads the records added to dataset %s after the base model's version %s: %s is not"
            + " a later version of that dataset", base.datasetId(), base.versionTag(), p.versionTag());
      }
      // Iceberg's incremental read: rows appended after the base's snapshot (exclusive) up to this one (inclusive).
      String view = "incremental_records_" + context.runId().toString().replace("-", "");
      spark.read().format("iceberg").option("start-snapshot-id", Long.toString(base.recordsSnapshot()))
          .option("end-snapshot-id", Long.toString(recordsSnapshot))
          .load(lakehouse.options().catalogName() + "." + TableModel.INGEST_RECORDS.qualifiedName())
          .createOrReplaceTempView(view);
      all = CuratedView.rows(spark, p, view, labelsSnapshot, consensusSnapshot);
    } else {
      all = CuratedView.rows(spark, p, recordsSnapshot, labelsSnapshot, consensusSnapshot);
    }
    // Read and joined once: the counts, the split, fitting and evaluation below all start from these rows.
    all = cache(all, cached);
    Row counts = all.selectExpr("count(*)", "count_if(curation = 'excluded')", "count_if(curation is null)")
        .collectAsList().get(0);
    long versionRecords = counts.getLong(0);
    long excluded = counts.getLong(1);
    long unlabeled = counts.getLong(2);
    if (versionRecords == 0) {
      throw userError("version %s has no records of dataset %s", p.versionTag(), p.datasetId());
    }
    Dataset<Row> used = p.includeExcluded() ? all : all.filter(col("curation").equalTo("included"));
    used = used.filter(col("text").isNotNull());
    long usable = used.count();
    if (usable == 0) {
      throw userError("the curated view of %s is empty (%d records: %d excluded by curation, %d not labeled yet); "
          + "run 'ledgerlake label run', or pass --include-excluded", p.versionTag(), versionRecords, excluded, unlabeled);
    }
    Dataset<Row> labeled = used.filter(col("label").isNotNull());
    long withLabel = labeled.count();
    if (withLabel == 0) {
      throw userError("no record of %s has label %s; check the field name or run 'ledgerlake label consensus'",
          p.versionTag(), p.label());
    }
    List<String> classes = labeled.select("label").distinct().collectAsList().stream().map(r -> r.getString(0))
        .sorted().toList();
    if (classes.size() < 2) {
      throw userError("label %s has a single class ('%s') in %s: a classifier needs at least two", p.label(),
          classes.get(0), p.versionTag());
    }

    // 2. Deterministic split and partitioning.
    Dataset<Row> bucketed = labeled.withColumn("bucket", pmod(xxhash64(col("record_cid")), lit(100)));
    Dataset<Row> train = cache(bucketed.filter(col("bucket").geq(p.testPercent()))
        .repartition(PARTITIONS, col("record_cid")).sortWithinPartitions("record_cid"), cached);
    Dataset<Row> test = cache(bucketed.filter(col("bucket").lt(p.testPercent()))
        .repartition(PARTITIONS, col("record_cid")).sortWithinPartitions("record_cid"), cached);
    long trainCount = train.count();
    long testCount = test.count();
    if (trainCount < 2 || testCount < 1) {
      throw userError("%s has too few labeled records to train and test (%d train, %d test)", p.versionTag(),
          trainCount, testCount);
    }
    context.progress().printf("Training %s on %s: %d records (%d train, %d test), %d classes, %d excluded by curation%s%n",
        p.algorithm().id(), p.versionTag(), withLabel, trainCount, testCount, classes.size(), excluded,
        p.includeExcluded() ? " (included on request)" : "");
    context.progress().flush();

    // 3. Fit.
    StringIndexerModel indexer;
    PipelineStage idf;
    PipelineStage classifier;
    if (base != null) {
      // Warm start: the base's label indexing, IDF weights and network shape; training continues from its weights.
      List<String> known = List.of(base.labels().labelsArray()[0]);
      List<String> unknown = classes.stream().filter(c -> !known.contains(c)).toList();
      if (!unknown.isEmpty()) {
        throw userError("classes %s of %s are not among base model %s's classes %s; train a new model instead",
            unknown, p.versionTag(), base.modelId(), known);
      }
      indexer = base.labels();
      idf = base.idf();
      classifier = new MultilayerPerceptronClassifier().setLabelCol("labelIndex").setFeaturesCol("features")
          .setLayers(base.mlp().getLayers()).setInitialWeights(base.mlp().weights()).setSeed(p.seed())
          .setMaxIter(p.maxIter());
    } else {
      indexer = new StringIndexer().setInputCol("label").setOutputCol("labelIndex")
          .setStringOrderType("alphabetAsc").fit(labeled);
      idf = new IDF().setInputCol("tf").setOutputCol("features");
      classifier = classifier(p, classes.size());
    }
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new RegexTokenizer().setInputCol("text").setOutputCol("tokens").setPattern("\\W+").setToLowercase(true),
        new HashingTF().setInputCol("tokens").setOutputCol("tf").setNumFeatures(p.numFeatures()),
        idf,
        classifier});
    PipelineModel model = pipeline.fit(indexer.transform(train));

    // 4. Evaluate.
    Dataset<Row> predictions = model.transform(indexer.transform(test));
    List<Row> scored = predictions.select("labelIndex", "prediction").collectAsList();
    int[] truth = new int[scored.size()];
    int[] predicted = new int[scored.size()];
    for (int i = 0; i < scored.size(); i++) {
      truth[i] = (int) scored.get(i).getDouble(0);
      predicted[i] = (int) scored.get(i).getDouble(1);
    }
    Double auc = classes.size() == 2
        ? new BinaryClassificationEvaluator().setLabelCol("labelIndex").setRawPredictionCol("rawPrediction")
            .setMetricName("areaUnderROC").evaluate(predictions)
        : null;
    ClassificationMetrics metrics = ClassificationMetrics.of(classes, truth, predicted, auc);

    // 5. Canonical export → CID.
    Path scratch = lakehouse.options().dataDir().resolve("tmp").resolve("train-" + context.runId());
    String cid;
    try {
      ModelExport.write(scratch, p, (IDFModel) model.stages()[2], indexer, model.stages()[3],
          base == null ? null : base.cid());
      cid = content.addDirectory(scratch, Profile.DEFAULT).cid().toString();
    } finally {
      deleteRecursively(scratch);
    }
    String modelId = "mdl-" + cid.substring(Math.max(0, cid.length() - 16));
    // MLlib's own format, for predicting later (not part of the model's identity).
    Path saved = lakehouse.options().dataDir().resolve("models").resolve(modelId);
    if (!Files.exists(saved)) {
      model.write().save(saved.resolve("pipeline").toString());
      indexer.write().save(saved.resolve("labels").toString());
    }

    // 6. Records: the model once, every run.
    long trainMs = (System.nanoTime() - started) / 1_000_000;
    OffsetDateTime now = OffsetDateTime.now(context.clock()).withOffsetSameInstant(ZoneOffset.UTC);
    boolean newModel = !modelExists(lakehouse, cid);
    List<JobOutput> tables = new ArrayList<>();
    if (newModel) {
      tables.add(JobOutput.table(TableModel.ML_MODELS.qualifiedName(),
          appendModel(lakehouse, p, inputs, cid, modelId, metrics, withLabel, trainCount, testCount, context, now)));
    }
    tables.add(JobOutput.table(TableModel.ML_RUNS.qualifiedName(),
        appendRun(lakehouse, p, cid, modelId, newModel, trainMs, context, now)));
    context.progress().printf("Model %s (%s): accuracy %.4f, macro-F1 %.4f%s on %d test records%s%n", modelId, cid,
        metrics.accuracy(), metrics.macroF1(), auc == null ? "" : String.format(", AUC %.4f", auc), testCount,
        newModel ? "" : " (the same model as an earlier run: not recorded again)");
    context.progress().flush();
    return new TrainResult(modelId, cid, newModel, p.datasetId(), p.versionTag(), versionRecords,
        p.includeExcluded() ? 0 : excluded, unlabeled, trainCount, testCount, metrics, tables,
        base == null ? null : base.cid());
  }

  private static Dataset<Row> cache(Dataset<Row> rows, List<Dataset<Row>> cached) {
    Dataset<Row> persisted = rows.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    cached.add(persisted);
    return persisted;
  }

  private static PipelineStage classifier(TrainParams p, int classes) {
    return switch (p.algorithm()) {
      case LOGREG -> new LogisticRegression().setLabelCol("labelIndex").setFeaturesCol("features")
          .setMaxIter(p.maxIter()).setRegParam(0.01).setElasticNetParam(0.0);
      case MLP -> new MultilayerPerceptronClassifier().setLabelCol("labelIndex").setFeaturesCol("features")
          .setLayers(new int[] {p.numFeatures(), 32, classes}).setSeed(p.seed()).setMaxIter(p.maxIter());
      case FOREST -> new RandomForestClassifier().setLabelCol("labelIndex").setFeaturesCol("features")
          .setNumTrees(30).setMaxDepth(8).setSeed(p.seed());
    };
  }

  private static boolean modelExists(Lakehouse lakehouse, String cid) {
    Table models = lakehouse.table(TableModel.ML_MODELS);
    models.refresh();
    if (models.currentSnapshot() == null) {
      return false;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(models).where(Expressions.equal("model_cid", cid)).build()) {
      return rows.iterator().hasNext();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long appendModel(Lakehouse lakehouse, TrainParams p, PinnedInputs inputs, String cid, String modelId,
      ClassificationMetrics metrics, long records, long trainCount, long testCount, JobContext context,
      OffsetDateTime now) {
    Table models = lakehouse.table(TableModel.ML_MODELS);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("model_id", modelId);
    v.put("model_cid", cid);
    v.put("task", "classify");
    v.put("algorithm", p.algorithm().id());
    v.put("dataset_id", p.datasetId());
    v.put("version_tag", p.versionTag());
    v.put("records_snapshot_id", inputs.snapshotOf(TableModel.INGEST_RECORDS.qualifiedName()));
    long labels = inputs.snapshotOf(TableModel.LABEL_LABELS.qualifiedName());
    v.put("labels_snapshot_id", labels < 0 ? null : labels);
    v.put("label_source", p.label().toString());
    v.put("include_excluded", p.includeExcluded());
    v.put("record_count", records);
    v.put("train_count", trainCount);
    v.put("test_count", testCount);
    v.put("seed", p.seed());
    v.put("params_json", p.toJson().toString());
    v.put("metrics_json", metrics.toJson().toString());
    v.put("accuracy", metrics.accuracy());
    v.put("macro_f1", metrics.macroF1());
    v.put("parent_model_id", p.baseModelId());
    v.put("code_version", ModelExport.TRAINER);
    v.put("run_id", context.runId().toString());
    v.put("created_at", now);
    return TableAppender.append(models, List.of(Rows.of(models.schema(), v)));
  }

  private static long appendRun(Lakehouse lakehouse, TrainParams p, String cid, String modelId, boolean newModel,
      long trainMs, JobContext context, OffsetDateTime now) {
    Table runs = lakehouse.table(TableModel.ML_RUNS);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("run_id", context.runId().toString());
    v.put("model_id", modelId);
    v.put("model_cid", cid);
    v.put("dataset_id", p.datasetId());
    v.put("version_tag", p.versionTag());
    v.put("new_model", newModel);
    v.put("train_ms", trainMs);
    v.put("finished_at", now);
    return TableAppender.append(runs, List.of(Rows.of(runs.schema(), v)));
  }

  private static LakehouseException userError(String format, Object... args) {
    return new LakehouseException(ErrorCategory.USER_ERROR, format, args);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
