package io.ledgerlake.rag.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/** Top-k search over an index written by {@link VectorIndexWriter}. Thread-safe once open. */
public final class VectorIndexSearcher implements AutoCloseable {
  /** One hit: the chunk and its cosine similarity to the query (both unit vectors). */
  public record Hit(String recordCid, int chunk, String contributor, String text, double score) {}

  private final FSDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  public VectorIndexSearcher(Path dir) throws IOException {
    this.directory = FSDirectory.open(dir);
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
  }

  public int size() {
    return reader.numDocs();
  }

  /**
   * The {@code k} nearest chunks to the unit vector {@code query}, best first; HNSW explores {@code max(k, ef)}
   * candidates.
   */
  public List<Hit> search(float[] query, int k, int ef) throws IOException {
    TopDocs top = searcher.search(new KnnFloatVectorQuery(VectorIndexWriter.VECTOR, query, Math.max(k, ef)),
        Math.max(k, ef));
    StoredFields stored = searcher.storedFields();
    List<Hit> hits = new ArrayList<>(Math.min(k, top.scoreDocs.length));
    for (ScoreDoc sd : top.scoreDocs) {
      if (hits.size() == k) {
        break;
      }
      Document d = stored.document(sd.doc);
      // Lucene scores DOT_PRODUCT as (1 + dot) / 2; report the cosine itself.
      hits.add(new Hit(d.get(VectorIndexWriter.RECORD_CID), d.getField(VectorIndexWriter.CHUNK).numericValue().intValue(),
          d.get(VectorIndexWriter.CONTRIBUTOR), d.get(VectorIndexWriter.TEXT), 2.0 * sd.score - 1.0));
    }
    return hits;
  }

  @Override
  public void close() throws IOException {
    try (directory) {
      reader.close();
    }
  }
}
