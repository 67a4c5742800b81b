package io.ledgerlake.rag.embed;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.labeling.stage.LabelRows;
import io.ledgerlake.lakehouse.lineage.LineageEdge;
import io.ledgerlake.lakehouse.lineage.NodeKind;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.RagTables;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code ledgerlake embed}: embeds the curated, PII-redacted text of one dataset version into {@code rag.embeddings}
 * with Spark. Pins the version's ingest.records snapshot (its tag), the label.labels snapshot whose curation rows
 * decide the curated view, and the rag.embeddings snapshot that says what is already embedded.
 *
 * <p>The curated view (docs/labeling.md, "Curated view in SQL"): the version's records of the dataset (one row per
 * record CID, its first ingestion's contributor) whose newest {@code curation} row is {@code included} (on a tie,
 * {@code excluded} wins); text = the newest {@code pii.redacted_text} when there is one, else the record's text
 * ({@code RecordText}). Records not labeled yet are not in it.
 *
 * <p>Incremental: records that already have rows for the same model id and model file hash are skipped, so a rerun
 * on the same inputs writes nothing and a later version embeds only its new records. Each partition runs its chunks
 * through the executor's one model ({@link SentenceEmbedder#shared()}) in batches.
 */
public final class EmbedJob implements Job<EmbedJob.Params, EmbedJob.Result> {
  public static final String NAME = "rag-embed";

  /** Which version to embed. */
  public record Params(String datasetId, String versionTag) implements JobParams {
    public Params {
      requireNonNull(datasetId, "datasetId");
      requireNonNull(versionTag, "versionTag");
    }

    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("dataset", datasetId).put("version", versionTag);
    }
  }

  /**
   * @param curatedRecords records in the version's curated view
   * @param embeddedRecords records embedded by this run (the rest were already embedded with this model)
   * @param chunks rows written
   * @param snapshotId rag.embeddings snapshot written, or -1 when there was nothing to embed
   */
  public record Result(String datasetId, String versionTag, String modelId, String modelSha256, long curatedRecords,
      long embeddedRecords, long chunks, long snapshotId) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return snapshotId < 0 ? List.of() : List.of(JobOutput.table(TableModel.RAG_EMBEDDINGS.qualifiedName(), snapshotId));
    }

    @Override
    public long recordsIn() {
      return curatedRecords;
    }

    @Override
    public long recordsOut() {
      return chunks;
    }

    public long skippedRecords() {
      return curatedRecords - embeddedRecords;
    }

    @Override
    public ObjectNode details() {
      return JsonNodeFactory.instance.objectNode().put("dataset", datasetId).put("version", versionTag)
          .put("model_id", modelId).put("model_sha256", modelSha256).put("curated_records", curatedRecords)
          .put("embedded_records", embeddedRecords).put("skipped_records", skippedRecords()).put("chunks", chunks);
    }

    @Override
    public List<LineageEdge> edges() {
      return List.of(new LineageEdge(NodeKind.DATASET_VERSION, versionTag, null, NodeKind.EMBEDDINGS,
          embeddingsId(versionTag, modelId), null, "derived_from"));
    }
  }

  /** The lineage id of a version's embeddings with one model. */
  public static String embeddingsId(String versionTag, String modelId) {
    return versionTag + "@" + modelId;
  }

  private final SparkOptions sparkOptions;
  private final RagOptions options;

  public EmbedJob(SparkOptions sparkOptions, RagOptions options) {
    this.sparkOptions = requireNonNull(sparkOptions, "sparkOptions");
    this.options = requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    return PinnedInputs.of(RagTables.versionOf(context.lakehouse(), params.datasetId(), params.versionTag()),
        RagTables.current(context.lakehouse(), TableModel.LABEL_LABELS),
        RagTables.current(context.lakehouse(), TableModel.RAG_EMBEDDINGS));
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    long recordsSnapshot = inputs.snapshotOf(TableModel.INGEST_RECORDS.qualifiedName());
    long labelsSnapshot = inputs.snapshotOf(TableModel.LABEL_LABELS.qualifiedName());
    long embeddingsSnapshot = inputs.snapshotOf(TableModel.RAG_EMBEDDINGS.qualifiedName());
    SentenceEmbedder embedder = SentenceEmbedder.shared();
    SparkSession spark = LakehouseSpark.session(context.lakehouse().options(), sparkOptions);

    Dataset<Row> curated = curatedView(spark, params.datasetId(), recordsSnapshot, labelsSnapshot);
    long curatedCount = curated.count();
    Dataset<Row> todo = curated;
    if (embeddingsSnapshot >= 0) {
      Dataset<Row> done = spark.sql("SELECT record_cid, model_id, model_sha256 FROM "
              + TableModel.RAG_EMBEDDINGS.qualifiedName() + " VERSION AS OF " + embeddingsSnapshot)
          .where(col("model_id").equalTo(lit(embedder.modelId()))
              .and(col("model_sha256").equalTo(lit(embedder.modelSha256()))))
          .select("record_cid").distinct();
      todo = curated.join(done, curated.col("record_cid").equalTo(done.col("record_cid")), "left_anti");
    }
    todo = todo.cache();
    long todoCount = todo.count();
    context.progress().printf("%s: %d record(s) in the curated view, %d to embed, %d already embedded with %s%n",
        params.versionTag(), curatedCount, todoCount, curatedCount - todoCount, embedder.modelId());
    if (todoCount == 0) {
      todo.unpersist();
      return new Result(params.datasetId(), params.versionTag(), embedder.modelId(), embedder.modelSha256(),
          curatedCount, 0, 0, -1);
    }
    int partitions = Math.max(1, (int) Math.min(spark.sparkContext().defaultParallelism(),
        (todoCount + options.batchSize() - 1) / options.batchSize()));
    Dataset<Row> embedded = todo.repartition(partitions)
        .mapPartitions(new EmbedPartition(options.batchSize()), Encoders.row(EmbedPartition.OUTPUT))
        .withColumn("dataset_id", lit(params.datasetId()))
        .withColumn("version_tag", lit(params.versionTag()))
        .withColumn("model_id", lit(embedder.modelId()))
        .withColumn("model_sha256", lit(embedder.modelSha256()))
        .withColumn("dimensions", lit(embedder.dimensions()))
        .withColumn("run_id", lit(context.runId().toString()))
        .withColumn("embedded_at", lit(Instant.now(context.clock())));
    try {
      embedded.writeTo(TableModel.RAG_EMBEDDINGS.qualifiedName()).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new io.ledgerlake.lakehouse.LakehouseException(
          io.ledgerlake.common.ErrorCategory.USER_ERROR, e,
          "table %s does not exist; run 'ledgerlake init'", TableModel.RAG_EMBEDDINGS.qualifiedName());
    } finally {
      todo.unpersist();
    }
    Table table = context.lakehouse().table(TableModel.RAG_EMBEDDINGS);
    table.refresh();
    Snapshot written = table.currentSnapshot();
    long chunks = Long.parseLong(written.summary().getOrDefault("added-records", "0"));
    context.progress().printf("%s: embedded %d record(s) as %d chunk(s) into %s@%d%n", params.versionTag(),
        todoCount, chunks, TableModel.RAG_EMBEDDINGS.qualifiedName(), written.snapshotId());
    return new Result(params.datasetId(), params.versionTag(), embedder.modelId(), embedder.modelSha256(),
        curatedCount, todoCount, chunks, written.snapshotId());
  }

  /** record_cid, contributor, record_json, redacted_text of the curated records of the pinned version. */
  public static Dataset<Row> curatedView(SparkSession spark, String datasetId, long recordsSnapshot, long labelsSnapshot) {
    Dataset<Row> records = spark.sql("SELECT record_cid, contributor, record_json, ingested_at, submission_id FROM "
            + TableModel.INGEST_RECORDS.qualifiedName() + " VERSION AS OF " + recordsSnapshot)
        .where(col("dataset_id").equalTo(lit(datasetId)))
        .withColumn("rn", row_number().over(Window.partitionBy("record_cid").orderBy("ingested_at", "submission_id")))
        .where(col("rn").equalTo(1))
        .select("record_cid", "contributor", "record_json");
    if (labelsSnapshot < 0) {
      return records.limit(0).withColumn("redacted_text", lit(null).cast("string"));
    }
    Dataset<Row> labels = spark.sql("SELECT record_cid, labeler, label_key, value, labeled_at FROM "
            + TableModel.LABEL_LABELS.qualifiedName() + " VERSION AS OF " + labelsSnapshot)
        .where(col("dataset_id").equalTo(lit(datasetId)));
    Dataset<Row> included = newest(labels.where(col("labeler").equalTo(lit(LabelRows.CURATION))
            .and(col("label_key").equalTo(lit(LabelRows.CURATION)))))
        .where(col("value").equalTo(lit(LabelRows.INCLUDED)))
        .select(col("record_cid").as("c_cid"));
    Dataset<Row> redacted = newest(labels.where(col("labeler").equalTo(lit(io.ledgerlake.labeling.pii.PiiLabeler.NAME))
            .and(col("label_key").equalTo(lit(LabelRows.REDACTED_TEXT_KEY)))))
        .select(col("record_cid").as("p_cid"), col("value").as("redacted_text"));
    return records.join(included, records.col("record_cid").equalTo(included.col("c_cid")), "left_semi")
        .join(redacted, records.col("record_cid").equalTo(redacted.col("p_cid")), "left_outer")
        .select("record_cid", "contributor", "record_json", "redacted_text");
  }

  /** The newest row per record (by labeled_at; on a tie the greater value, so "excluded" beats "included"). */
  private static Dataset<Row> newest(Dataset<Row> labels) {
    return labels.withColumn("rn", row_number().over(Window.partitionBy("record_cid")
            .orderBy(col("labeled_at").desc(), col("value").desc())))
        .where(col("rn").equalTo(1));
  }
}
