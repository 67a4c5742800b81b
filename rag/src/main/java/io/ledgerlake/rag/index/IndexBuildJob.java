package io.ledgerlake.rag.index;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.AddResult;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.lineage.LineageEdge;
import io.ledgerlake.lakehouse.lineage.NodeKind;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.RagTables;
import io.ledgerlake.rag.embed.EmbedJob;
import io.ledgerlake.rag.embed.SentenceEmbedder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ledgerlake rag build}: an HNSW index (Lucene 9.12, {@link VectorIndexWriter}) over the embeddings of one
 * dataset version's curated records, stored in the content store and registered in {@code rag.indexes} with a lineage
 * edge version → index. Pins the version's tag, the label.labels snapshot (the curated view) and the rag.embeddings
 * snapshot it reads. Every curated record must have embeddings with the current model: otherwise a user error says to
 * run {@code ledgerlake embed} first.
 *
 * <p>Idempotent: {@code inputs_sha256} hashes the indexed chunks in order (record CID, chunk, contributor, text,
 * vector) and the settings; a rerun whose hash equals an existing row's for the same version returns that index
 * without building or recording anything. (The CID itself is not reproducible: Lucene writes random ids into its files.)
 */
public final class IndexBuildJob implements Job<IndexBuildJob.Params, IndexBuildJob.Result> {
  public static final String NAME = "rag-index-build";

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
   * @param reused true when an index of equal inputs existed and was returned as is
   * @param indexesSnapshot rag.indexes snapshot written, -1 when reused
   */
  public record Result(String datasetId, String versionTag, String indexCid, long vectors, long records,
      String inputsSha256, boolean reused, long indexesSnapshot, String modelId) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return reused ? List.of(JobOutput.content(indexCid))
          : List.of(JobOutput.content(indexCid), JobOutput.table(TableModel.RAG_INDEXES.qualifiedName(),
              indexesSnapshot));
    }

    @Override
    public long recordsIn() {
      return vectors;
    }

    @Override
    public long recordsOut() {
      return reused ? 0 : vectors;
    }

    @Override
    public ObjectNode details() {
      return JsonNodeFactory.instance.objectNode().put("dataset", datasetId).put("version", versionTag)
          .put("index_cid", indexCid).put("vectors", vectors).put("records", records).put("reused", reused)
          .put("inputs_sha256", inputsSha256);
    }

    @Override
    public List<LineageEdge> edges() {
      if (reused) {
        return List.of();
      }
      return List.of(
          new LineageEdge(NodeKind.DATASET_VERSION, versionTag, null, NodeKind.INDEX, indexCid, indexCid,
              "indexed_from"),
          new LineageEdge(NodeKind.EMBEDDINGS, EmbedJob.embeddingsId(versionTag, modelId), null, NodeKind.INDEX,
              indexCid, indexCid, "indexed_from"));
    }
  }

  private final SparkOptions sparkOptions;
  private final RagOptions options;
  private final IndexStore store;

  public IndexBuildJob(SparkOptions sparkOptions, RagOptions options, IndexStore store) {
    this.sparkOptions = requireNonNull(sparkOptions, "sparkOptions");
    this.options = requireNonNull(options, "options");
    this.store = requireNonNull(store, "store");
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
  public Result run(Params params, PinnedInputs inputs, JobContext context) throws IOException {
    long recordsSnapshot = inputs.snapshotOf(TableModel.INGEST_RECORDS.qualifiedName());
    long labelsSnapshot = inputs.snapshotOf(TableModel.LABEL_LABELS.qualifiedName());
    long embeddingsSnapshot = inputs.snapshotOf(TableModel.RAG_EMBEDDINGS.qualifiedName());
    SentenceEmbedder embedder = SentenceEmbedder.shared();
    String embedHint = String.format("run 'ledgerlake embed --dataset %s --version %s' first", params.datasetId(),
        params.versionTag());
    if (embeddingsSnapshot < 0) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s has no embeddings yet; %s", params.versionTag(), embedHint);
    }
    SparkSession spark = LakehouseSpark.session(context.lakehouse().options(), sparkOptions);
    Dataset<Row> curated = EmbedJob.curatedView(spark, params.datasetId(), recordsSnapshot, labelsSnapshot)
        .select("record_cid");
    long curatedCount = curated.count();
    if (curatedCount == 0) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "%s has no records in the curated view (not labeled yet, or all excluded); nothing to index",
          params.versionTag());
    }
    Dataset<Row> embeddings = spark.sql("SELECT record_cid, chunk, contributor, text, vector, dataset_id, model_id,"
            + " model_sha256 FROM " + TableModel.RAG_EMBEDDINGS.qualifiedName() + " VERSION AS OF "
            + embeddingsSnapshot)
        .where(col("dataset_id").equalTo(lit(params.datasetId()))
            .and(col("model_id").equalTo(lit(embedder.modelId())))
            .and(col("model_sha256").equalTo(lit(embedder.modelSha256()))))
        .join(curated, "record_cid")
        .dropDuplicates("record_cid", "chunk")
        .select("record_cid", "chunk", "contributor", "text", "vector")
        .orderBy("record_cid", "chunk");

    IndexSettings settings = new IndexSettings(embedder.dimensions(), options.hnswM(), options.hnswBeamWidth(),
        embedder.modelId(), embedder.modelSha256());
    List<IndexedChunk> chunks = new ArrayList<>();
    for (Iterator<Row> it = embeddings.toLocalIterator(); it.hasNext(); ) {
      Row r = it.next();
      List<Float> v = r.getList(4);
      float[] vector = new float[v.size()];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = v.get(i);
      }
      chunks.add(new IndexedChunk(r.getString(0), r.getInt(1), r.getString(2), r.getString(3), vector));
    }
    long records = chunks.stream().map(IndexedChunk::recordCid).distinct().count();
    if (records < curatedCount) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%d of %d curated record(s) of %s have no embeddings with %s; %s",
          curatedCount - records, curatedCount, params.versionTag(), embedder.modelId(), embedHint);
    }
    String inputsSha256 = inputsSha256(chunks, settings);
    Optional<Record> existing = latestIndex(context.lakehouse().table(TableModel.RAG_INDEXES), params.datasetId(),
        params.versionTag(), inputsSha256);
    if (existing.isPresent()) {
      String cid = (String) existing.get().getField("index_cid");
      context.progress().printf("%s: index %s already built from the same %d vector(s); nothing to do%n",
          params.versionTag(), cid, chunks.size());
      return new Result(params.datasetId(), params.versionTag(), cid, chunks.size(), records, inputsSha256, true, -1,
          embedder.modelId());
    }

    Path tmp = Files.createTempDirectory("ledgerlake-rag-index-");
    try {
      Path dir = tmp.resolve("index");
      try (VectorIndexWriter writer = new VectorIndexWriter(dir, settings)) {
        for (IndexedChunk c : chunks) {
          writer.add(c);
        }
      }
      AddResult added = store.add(dir);
      String cid = added.cid().toString();
      Table indexes = context.lakehouse().table(TableModel.RAG_INDEXES);
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("index_cid", cid);
      v.put("dataset_id", params.datasetId());
      v.put("version_tag", params.versionTag());
      v.put("records_snapshot", recordsSnapshot);
      v.put("embeddings_snapshot", embeddingsSnapshot);
      v.put("model_id", embedder.modelId());
      v.put("model_sha256", embedder.modelSha256());
      v.put("dimensions", embedder.dimensions());
      v.put("vectors", (long) chunks.size());
      v.put("records", records);
      v.put("settings_json", settings.toJson().toString());
      v.put("inputs_sha256", inputsSha256);
      v.put("run_id", context.runId().toString());
      v.put("built_at", OffsetDateTime.now(context.clock()).withOffsetSameInstant(ZoneOffset.UTC));
      long snapshot = TableAppender.append(indexes, List.of(Rows.of(indexes.schema(), v)));
      context.progress().printf("%s: indexed %d vector(s) of %d record(s) as %s (%d bytes)%n", params.versionTag(),
          chunks.size(), records, cid, added.contentBytes());
      return new Result(params.datasetId(), params.versionTag(), cid, chunks.size(), records, inputsSha256, false,
          snapshot, embedder.modelId());
    } finally {
      IndexStore.deleteTree(tmp);
    }
  }

  /** The newest rag.indexes row of {@code versionTag}, restricted to {@code inputsSha256} unless that is null. */
  public static Optional<Record> latestIndex(Table indexes, String datasetId, String versionTag, String inputsSha256) {
    indexes.refresh();
    if (indexes.currentSnapshot() == null) {
      return Optional.empty();
    }
    Record best = null;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(indexes)
        .where(Expressions.and(Expressions.equal("dataset_id", datasetId),
            Expressions.equal("version_tag", versionTag))).build()) {
      for (Record r : rows) {
        if (inputsSha256 != null && !inputsSha256.equals(r.getField("inputs_sha256"))) {
          continue;
        }
        if (best == null || ((OffsetDateTime) r.getField("built_at")).isAfter((OffsetDateTime) best.getField("built_at"))) {
          best = r;
        }
      }
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "reading %s failed: %s", indexes.name(), e.getMessage());
    }
    return Optional.ofNullable(best);
  }

  /** The rag.indexes row of the index with CID {@code indexCid} (an index is content-addressed: one row per CID). */
  public static Optional<Record> indexByCid(Table indexes, String indexCid) {
    indexes.refresh();
    if (indexes.currentSnapshot() == null) {
      return Optional.empty();
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(indexes)
        .where(Expressions.equal("index_cid", indexCid)).build()) {
      for (Record r : rows) {
        return Optional.of(r.copy());
      }
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "reading %s failed: %s", indexes.name(), e.getMessage());
    }
    return Optional.empty();
  }

  static String inputsSha256(List<IndexedChunk> chunks, IndexSettings settings) {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(d, settings.toJson().toString());
    ByteBuffer buf = ByteBuffer.allocate(Float.BYTES * settings.dimensions()).order(ByteOrder.LITTLE_ENDIAN);
    for (IndexedChunk c : chunks) {
      update(d, c.recordCid());
      d.update(ByteBuffer.allocate(4).putInt(c.chunk()).array());
      update(d, c.contributor());
      update(d, c.text());
      buf.clear();
      buf.asFloatBuffer().put(c.vector());
      d.update(buf.array(), 0, Float.BYTES * c.vector().length);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** Length-prefixed, so field boundaries cannot shift between chunks. */
  private static void update(MessageDigest d, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.update(ByteBuffer.allocate(4).putInt(b.length).array());
    d.update(b);
  }
}
