package io.ledgerlake.rag.index;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.lucene.util.Version;

/**
 * How an index is built, recorded in {@code rag.indexes.settings_json} and in the index directory
 * ({@link VectorIndexWriter#SETTINGS_FILE}). Format version {@link #FORMAT_VERSION}: a reader refuses other versions.
 *
 * @param dimensions vector length
 * @param m HNSW max connections per node
 * @param beamWidth HNSW beam width at build time
 * @param modelId embedding model of the vectors
 * @param modelSha256 hash of that model's file
 */
public record IndexSettings(int dimensions, int m, int beamWidth, String modelId, String modelSha256) {
  public static final int FORMAT_VERSION = 1;
  public static final String ENGINE = "lucene-" + Version.LATEST;
  public static final String SIMILARITY = "dot_product";

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("format", FORMAT_VERSION);
    n.put("engine", ENGINE);
    n.put("codec", "Lucene912");
    n.put("vectors_format", "Lucene99HnswVectorsFormat");
    n.put("similarity", SIMILARITY);
    n.put("dimensions", dimensions);
    n.put("hnsw_m", m);
    n.put("hnsw_beam_width", beamWidth);
    n.put("segments", 1);
    n.put("model_id", modelId);
    n.put("model_sha256", modelSha256);
    return n;
  }
}
