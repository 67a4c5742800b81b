package io.ledgerlake.rag.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;

/**
 * Writes a Lucene 9.12 HNSW index of unit vectors into an empty directory: one document per chunk (vector with
 * {@link VectorSimilarityFunction#DOT_PRODUCT}, record CID, chunk, contributor, text stored), in the order given, from
 * one thread, merged into a single segment, plus {@link #SETTINGS_FILE}. Same input in the same order gives the same
 * documents and graph (Lucene's HNSW level assignment uses a fixed seed), but not the same bytes: Lucene writes random
 * segment and commit ids into its files (docs/decisions/rag-vector-index.md).
 */
public final class VectorIndexWriter implements AutoCloseable {
  public static final String VECTOR = "vector";
  public static final String RECORD_CID = "record_cid";
  public static final String CHUNK = "chunk";
  public static final String CONTRIBUTOR = "contributor";
  public static final String TEXT = "text";
  /** The index's own description (JSON of {@link IndexSettings}), next to Lucene's files. */
  public static final String SETTINGS_FILE = "ledgerlake-index.json";

  private final Path dir;
  private final IndexSettings settings;
  private final FSDirectory directory;
  private final IndexWriter writer;
  private long count;

  public VectorIndexWriter(Path dir, IndexSettings settings) throws IOException {
    this.dir = dir;
    this.settings = settings;
    Files.createDirectories(dir);
    this.directory = FSDirectory.open(dir);
    KnnVectorsFormat format = new Lucene99HnswVectorsFormat(settings.m(), settings.beamWidth());
    IndexWriterConfig config = new IndexWriterConfig()
        .setCodec(new Lucene912Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
          }
        })
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setRAMBufferSizeMB(512)
        .setUseCompoundFile(false);
    this.writer = new IndexWriter(directory, config);
  }

  public void add(IndexedChunk c) throws IOException {
    if (c.vector().length != settings.dimensions()) {
      throw new IllegalArgumentException("vector of " + c.recordCid() + "#" + c.chunk() + " has "
          + c.vector().length + " dimensions, the index " + settings.dimensions());
    }
    Document doc = new Document();
    doc.add(new KnnFloatVectorField(VECTOR, c.vector(), VectorSimilarityFunction.DOT_PRODUCT));
    doc.add(new StringField(RECORD_CID, c.recordCid(), Field.Store.YES));
    doc.add(new StoredField(CHUNK, c.chunk()));
    doc.add(new StoredField(CONTRIBUTOR, c.contributor()));
    doc.add(new StoredField(TEXT, c.text()));
    writer.addDocument(doc);
    count++;
  }

  public long count() {
    return count;
  }

  /** Merges into one segment, commits, writes {@link #SETTINGS_FILE} and closes. */
  @Override
  public void close() throws IOException {
    try (directory; writer) {
      writer.forceMerge(1);
      writer.commit();
    }
    Files.writeString(dir.resolve(SETTINGS_FILE), settings.toJson().toPrettyString(), StandardCharsets.UTF_8);
  }
}
