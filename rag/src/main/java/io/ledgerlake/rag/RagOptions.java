package io.ledgerlake.rag;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.common.config.Settings;

/**
 * The rag module's keys and defaults ({@code ledgerlake.rag.*}); precedence as everywhere: CLI flag &gt; env &gt;
 * properties file &gt; default. Immutable.
 *
 * @param batchSize texts per call of the embedding model
 * @param hnswM HNSW max connections per node
 * @param hnswBeamWidth HNSW beam width at build time
 * @param searchEf candidates explored per query (the query asks Lucene for max(k, ef) and keeps k); 400 gives recall@10
 *     0.995 even on isotropic random 384-d vectors, the hardest case (docs/decisions/rag-vector-index.md)
 * @param maxK largest k a query may ask for
 * @param maxQueryChars longest question accepted
 * @param licenceCacheMs how long a positive licence check is reused: the staleness bound of the query API's licence
 *     gate (a refusal is never cached); 0 asks the chain on every query
 * @param answerEndpoint base URL of an OpenAI-compatible chat-completions API for optional answer generation
 *     (e.g. {@code http://127.0.0.1:8000/v1}); empty: generation is off
 * @param answerModel the model name sent to that endpoint
 * @param answerApiKey bearer token for that endpoint, empty for none (env {@code LEDGERLAKE_RAG_ANSWER_API_KEY})
 */
public record RagOptions(int batchSize, int hnswM,
    int hnswBeamWidth, int searchEf, int maxK, int maxQueryChars, int licenceCacheMs, String answerEndpoint,
    String answerModel, String answerApiKey) {
  public static final String BATCH_SIZE = "ledgerlake.rag.embed.batch-size";
  public static final int BATCH_SIZE_DEFAULT = 64;
  public static final String HNSW_M = "ledgerlake.rag.index.hnsw-m";
  public static final int HNSW_M_DEFAULT = 16;
  public static final String HNSW_BEAM_WIDTH = "ledgerlake.rag.index.hnsw-beam-width";
  public static final int HNSW_BEAM_WIDTH_DEFAULT = 100;
  public static final String SEARCH_EF = "ledgerlake.rag.query.ef";
  public static final int SEARCH_EF_DEFAULT = 400;
  public static final String MAX_K = "ledgerlake.rag.query.max-k";
  public static final int MAX_K_DEFAULT = 100;
  public static final String MAX_QUERY_CHARS = "ledgerlake.rag.query.max-chars";
  public static final int MAX_QUERY_CHARS_DEFAULT = 4096;
  public static final String LICENCE_CACHE_MS = "ledgerlake.rag.query.licence-cache-ms";
  public static final int LICENCE_CACHE_MS_DEFAULT = 5_000;
  public static final String ANSWER_ENDPOINT = "ledgerlake.rag.answer.endpoint";
  public static final String ANSWER_MODEL = "ledgerlake.rag.answer.model";
  public static final String ANSWER_MODEL_DEFAULT = "gpt-4o-mini";
  public static final String ANSWER_API_KEY = "ledgerlake.rag.answer.api-key";

  public RagOptions {
    positive(BATCH_SIZE, batchSize);
    positive(HNSW_M, hnswM);
    positive(HNSW_BEAM_WIDTH, hnswBeamWidth);
    positive(SEARCH_EF, searchEf);
    positive(MAX_K, maxK);
    positive(MAX_QUERY_CHARS, maxQueryChars);
    java.util.Objects.requireNonNull(answerEndpoint, "answerEndpoint");
    java.util.Objects.requireNonNull(answerModel, "answerModel");
    java.util.Objects.requireNonNull(answerApiKey, "answerApiKey");
    if (!answerEndpoint.isEmpty() && !answerEndpoint.matches("https?://.+")) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s must be an http(s) URL such as http://127.0.0.1:8000/v1,"
          + " got '%s'", ANSWER_ENDPOINT, answerEndpoint);
    }
    if (licenceCacheMs < 0) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s must be >= 0, got %s", LICENCE_CACHE_MS, licenceCacheMs);
    }
  }

  public static RagOptions defaults() {
    return from(Settings.empty());
  }

  public static RagOptions from(Settings s) {
    return new RagOptions(s.getInt(BATCH_SIZE, BATCH_SIZE_DEFAULT), s.getInt(HNSW_M, HNSW_M_DEFAULT),
        s.getInt(HNSW_BEAM_WIDTH, HNSW_BEAM_WIDTH_DEFAULT),
        s.getInt(SEARCH_EF, SEARCH_EF_DEFAULT), s.getInt(MAX_K, MAX_K_DEFAULT),
        s.getInt(MAX_QUERY_CHARS, MAX_QUERY_CHARS_DEFAULT), s.getInt(LICENCE_CACHE_MS, LICENCE_CACHE_MS_DEFAULT),
        s.get(ANSWER_ENDPOINT, ""), s.get(ANSWER_MODEL, ANSWER_MODEL_DEFAULT), s.get(ANSWER_API_KEY, ""));
  }

  /** The answer generator the settings configure, if any. */
  public java.util.Optional<io.ledgerlake.rag.query.AnswerGenerator> answerGenerator() {
    return answerEndpoint.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of(new io.ledgerlake.rag.query.ChatCompletionsGenerator(java.net.URI.create(answerEndpoint),
            answerModel, answerApiKey.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(answerApiKey),
            java.time.Duration.ofSeconds(60)));
  }

  /** Without the API key: options are logged and printed. */
  @Override
  public String toString() {
    return "RagOptions[batchSize=" + batchSize + ", searchEf=" + searchEf
        + ", maxK=" + maxK + ", answerEndpoint=" + answerEndpoint + ", answerModel=" + answerModel + "]";
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s must be > 0, got %s", key, value);
    }
  }
}
