package io.ledgerlake.rag.embed;

import io.ledgerlake.labeling.stage.RecordText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark side of {@link EmbedJob}: a partition of curated records (record_cid, contributor, record_json,
 * redacted_text) becomes rows (record_cid, chunk, contributor, vector, text), embedded {@code batchSize} chunks per
 * embedder call with the executor's one {@link SentenceEmbedder}. Lazy: holds at most one batch of a partition.
 */
final class EmbedPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** What one partition produces; the job adds the per-run constant columns. */
  static final StructType OUTPUT = new StructType()
      .add("record_cid", DataTypes.StringType, false)
      .add("chunk", DataTypes.IntegerType, false)
      .add("contributor", DataTypes.StringType, false)
      .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("text", DataTypes.StringType, false);

  private final int batchSize;

  EmbedPartition(int batchSize) {
    this.batchSize = batchSize;
  }

  /** The text a record contributes: the redacted copy when the labeling stage made one, else the record's text. */
  static String textOf(String recordJson, String redactedText) {
    return redactedText != null ? redactedText : RecordText.of(recordJson);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    SentenceEmbedder embedder = SentenceEmbedder.shared();
    TextChunker chunker = embedder.chunker();
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();
      private final ArrayDeque<Pending> pending = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && (input.hasNext() || !pending.isEmpty())) {
          while (pending.size() < batchSize && input.hasNext()) {
            Row r = input.next();
            String cid = r.getString(0);
            String contributor = r.getString(1);
            String text = textOf(r.getString(2), r.isNullAt(3) ? null : r.getString(3));
            List<String> chunks = chunker.chunks(text, embedder.tokens(text));
            for (int i = 0; i < chunks.size(); i++) {
              pending.add(new Pending(cid, i, contributor, chunks.get(i)));
            }
          }
          List<Pending> batch = new ArrayList<>(Math.min(batchSize, pending.size()));
          while (batch.size() < batchSize && !pending.isEmpty()) {
            batch.add(pending.poll());
          }
          List<float[]> vectors = embedder.embed(batch.stream().map(Pending::text).toList());
          for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            float[] v = vectors.get(i);
            Float[] boxed = new Float[v.length];
            for (int j = 0; j < v.length; j++) {
              boxed[j] = v[j];
            }
            ready.add(RowFactory.create(p.cid(), p.chunk(), p.contributor(), boxed, p.text()));
          }
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  private record Pending(String cid, int chunk, String contributor, String text) {}
}
