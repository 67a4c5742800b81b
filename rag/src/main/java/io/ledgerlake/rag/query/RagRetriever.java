package io.ledgerlake.rag.query;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.RagTables;
import io.ledgerlake.rag.embed.SentenceEmbedder;
import io.ledgerlake.rag.index.IndexBuildJob;
import io.ledgerlake.rag.index.IndexStore;
import io.ledgerlake.rag.index.VectorIndexSearcher;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.data.Record;

/**
 * Top-k retrieval over a dataset version: the newest {@code rag.indexes} row of the version names the index CID; the
 * index is materialized from the content store once and kept open; the question is embedded with the same model the
 * index was built with (checked by file hash). Thread-safe.
 */
public final class RagRetriever implements AutoCloseable {
  /** One retrieved passage: the PII-redacted chunk text and where it comes from. */
  public record Passage(int rank, String recordCid, int chunk, String contributor, double score, String text) {}

  /** The answer to one query. */
  public record Answer(String datasetId, String versionTag, String indexCid, List<Passage> passages) {}

  private final Lakehouse lakehouse;
  private final IndexStore store;
  private final RagOptions options;
  private final Map<String, VectorIndexSearcher> open = new ConcurrentHashMap<>();

  public RagRetriever(Lakehouse lakehouse, IndexStore store, RagOptions options) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.store = requireNonNull(store, "store");
    this.options = requireNonNull(options, "options");
  }

  /** Validates the request (user errors for an empty or too long question, k out of range, an unknown version). */
  public Answer query(String datasetId, String versionTag, String question, int k) {
    validate(question, k);
    RagTables.versionOf(lakehouse, datasetId, versionTag);
    Record index = IndexBuildJob.latestIndex(lakehouse.table(TableModel.RAG_INDEXES), datasetId, versionTag, null)
        .orElseThrow(() -> new LakehouseException(ErrorCategory.USER_ERROR,
            "%s has no vector index; run 'ledgerlake rag build --dataset %s --version %s'", versionTag, datasetId,
            versionTag));
    return search(index, question, k);
  }

  /** Top-k of the index with CID {@code indexCid} (a rag.indexes row), as {@link #query}. */
  public Answer queryIndex(String indexCid, String question, int k) {
    validate(question, k);
    Record index = IndexBuildJob.indexByCid(lakehouse.table(TableModel.RAG_INDEXES), indexCid)
        .orElseThrow(() -> new LakehouseException(ErrorCategory.USER_ERROR, "no index %s in rag.indexes", indexCid));
    return search(index, question, k);
  }

  /** The question and k a query may have (user errors naming the setting that bounds them). */
  public void validate(String question, int k) {
    if (question == null || question.isBlank()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "the question is empty; give the text to search for");
    }
    if (question.length() > options.maxQueryChars()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "the question has %d characters; at most %d (%s)",
          question.length(), options.maxQueryChars(), RagOptions.MAX_QUERY_CHARS);
    }
    if (k <= 0 || k > options.maxK()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "k must be between 1 and %d (%s), got %d", options.maxK(),
          RagOptions.MAX_K, k);
    }
  }

  private Answer search(Record index, String question, int k) {
    String datasetId = (String) index.getField("dataset_id");
    String versionTag = (String) index.getField("version_tag");
    SentenceEmbedder embedder = SentenceEmbedder.shared();
    if (!embedder.modelSha256().equals(index.getField("model_sha256"))) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "index %s of %s was built with model file %s, this build has %s; rebuild it with 'ledgerlake embed' and"
              + " 'ledgerlake rag build'", index.getField("index_cid"), versionTag, index.getField("model_sha256"),
          embedder.modelSha256());
    }
    String cid = (String) index.getField("index_cid");
    VectorIndexSearcher searcher = open.computeIfAbsent(cid, c -> {
      try {
        return new VectorIndexSearcher(store.materialize(c));
      } catch (IOException e) {
        throw new LakehouseException(ErrorCategory.EXTERNAL, e, "opening index %s failed: %s", c, e.getMessage());
      }
    });
    float[] vector = embedder.embed(question);
    try {
      List<VectorIndexSearcher.Hit> hits = searcher.search(vector, k, options.searchEf());
      List<Passage> passages = new java.util.ArrayList<>(hits.size());
      for (int i = 0; i < hits.size(); i++) {
        VectorIndexSearcher.Hit h = hits.get(i);
        passages.add(new Passage(i + 1, h.recordCid(), h.chunk(), h.contributor(), h.score(), h.text()));
      }
      return new Answer(datasetId, versionTag, cid, passages);
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "searching index %s failed: %s", cid, e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    for (VectorIndexSearcher s : open.values()) {
      s.close();
    }
    open.clear();
  }
}
