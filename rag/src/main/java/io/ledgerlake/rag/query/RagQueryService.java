package io.ledgerlake.rag.query;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.provenance.licence.ChainLicenceGate;
import io.ledgerlake.provenance.licence.LicenceGate;
import io.ledgerlake.provenance.model.Addresses;
import io.ledgerlake.jobs.attribution.MeteredRequestException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Licence-gated retrieval over a published asset, with usage recorded: what {@code POST /v1/rag/query} and
 * {@code ledgerlake rag query --asset} run. Order: validate the request (nothing else happens for bad input), replay a
 * recorded query id, resolve the asset to its index, check the caller's licence (402 without one), search, record one
 * {@code attribution.usage} row per passage (committed before the answer is returned), answer. Thread-safe.
 */
public final class RagQueryService implements AutoCloseable {
  /** How often the published indexes and datasets are re-read (and at once when an asset is not found). */
  static final java.time.Duration ASSETS_REFRESH = java.time.Duration.ofSeconds(10);
  /** Query ids a client may choose (to make retries safe): 1–128 letters, digits, '.', '_', ':', '-'. */
  static final Pattern QUERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /**
   * One query.
   *
   * @param asset the on-chain asset id (a published index or dataset), as given
   * @param queryId the client's id for safe retries, or null to have one assigned
   * @param versionTag the dataset version whose index to search, or null for the asset's (newest) index
   */
  public record Request(String asset, String question, int k, String queryId, String versionTag, boolean answer) {
    /** Retrieval only. */
    public Request(String asset, String question, int k, String queryId, String versionTag) {
      this(asset, question, k, queryId, versionTag, false);
    }
  }

  /**
   * The answer.
   *
   * @param recorded true when this call recorded the usage; false for a retry of a recorded query id (the same
   *     passages, recorded once)
   */
  public record Outcome(String queryId, LicenceGate.Licence licence, RagAssets.Target target,
      RagRetriever.Answer answer, boolean recorded, Optional<AnswerGenerator.GeneratedAnswer> generated) {}

  private final RagRetriever retriever;
  private final RagAssets assets;
  private final LicenceGate licences;
  private final UsageLog usage;
  private final Clock clock;
  private final Optional<AnswerGenerator> generator;

  public RagQueryService(RagRetriever retriever, RagAssets assets, LicenceGate licences, UsageLog usage, Clock clock,
      Optional<AnswerGenerator> generator) {
    this.generator = requireNonNull(generator, "generator");
    this.retriever = requireNonNull(retriever, "retriever");
    this.assets = requireNonNull(assets, "assets");
    this.licences = requireNonNull(licences, "licences");
    this.usage = requireNonNull(usage, "usage");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * The service over a lakehouse and content store, checking licences on {@code chain}; index files are copied out of
   * the content store under {@code <data dir>/rag/index-cache}. Close it to record queued usage and close the indexes.
   */
  public static RagQueryService over(io.ledgerlake.lakehouse.Lakehouse lakehouse, io.ledgerlake.content.ContentStore
      content, io.ledgerlake.provenance.chain.ProvenanceClient chain, io.ledgerlake.rag.RagOptions options, Clock clock) {
    RagRetriever retriever = new RagRetriever(lakehouse,
        io.ledgerlake.rag.index.IndexStore.inDataDir(content, lakehouse.options().dataDir()), options);
    return new RagQueryService(retriever, new RagAssets(lakehouse, ASSETS_REFRESH, clock),
        new ChainLicenceGate(chain, java.time.Duration.ofMillis(options.licenceCacheMs()), clock),
        new UsageLog(lakehouse), clock, options.answerGenerator());
  }

  @Override
  public void close() throws java.io.IOException {
    try {
      usage.close();
    } finally {
      retriever.close();
    }
  }

  public Outcome query(String caller, Request r) {
    String who = Addresses.normalize(caller);
    try {
      retriever.validate(r.question(), r.k());
    } catch (LakehouseException e) {
      throw new RagQueryException(Reason.BAD_REQUEST, "%s", e.getMessage());
    }
    long assetId = parseAsset(r.asset());
    if (r.answer() && generator.isEmpty()) {
      throw new RagQueryException(Reason.BAD_REQUEST, "answer generation is off on this server; ask for passages only,"
          + " or configure %s", io.ledgerlake.rag.RagOptions.ANSWER_ENDPOINT);
    }
    if (r.queryId() != null && !QUERY_ID.matcher(r.queryId()).matches()) {
      throw new RagQueryException(Reason.BAD_REQUEST, "queryId must be 1-128 letters, digits, '.', '_', ':' or '-'"
          + " (a UUID works)");
    }
    String sha = sha256(r.question());
    Optional<UsageLog.Recorded> earlier = r.queryId() == null ? Optional.empty() : usage.recorded(r.queryId());
    if (earlier.isPresent() && (!earlier.get().querySha256().equals(sha) || !earlier.get().caller().equals(who))) {
      throw new RagQueryException(Reason.ID_CONFLICT, "query id %s was used before for another %s; use a new"
          + " query id for a new query", r.queryId(), earlier.get().caller().equals(who) ? "question" : "caller");
    }
    RagAssets.Target target = assets.resolve(assetId, Optional.ofNullable(r.versionTag()));
    LicenceGate.Licence licence = licences.allowing(who, target.licenceAssets()).orElseThrow(() ->
        new RagQueryException(Reason.LICENCE_REQUIRED, "%s holds no licence that allows retrieval from asset %d"
            + " (index asset %d, dataset asset %d): buy full access, a long-term licence or a partnership, or deposit"
            + " for API calls, on either asset (e.g. 'ledgerlake license buy --asset %d --kind api --deposit-wei N')",
            who, assetId, target.indexAssetId(), target.datasetAssetId(), target.indexAssetId()));
    RagRetriever.Answer answer = retriever.queryIndex(target.indexCid(), r.question(), r.k());
    // Generated before the usage is recorded: a failed generation fails the query, and nothing is recorded.
    Optional<AnswerGenerator.GeneratedAnswer> generated = r.answer()
        ? Optional.of(generator.orElseThrow().generate(r.question(), answer.passages())) : Optional.empty();
    if (earlier.isPresent()) {
      return new Outcome(r.queryId(), licence, target, answer, false, generated);
    }
    String queryId = r.queryId() != null ? r.queryId() : UUID.randomUUID().toString();
    boolean recorded = usage.record(new UsageLog.Usage(queryId, sha, who, licence, target, answer.passages(), r.k(),
        clock.instant()));
    return new Outcome(queryId, licence, target, answer, recorded, generated);
  }

  private static long parseAsset(String asset) {
    if (asset == null || !asset.matches("[0-9]{1,18}")) {
      throw new RagQueryException(Reason.BAD_REQUEST, "asset must be an on-chain asset id (a positive integer), got %s",
          asset == null ? "nothing" : "'" + (asset.length() > 40 ? asset.substring(0, 40) + "..." : asset) + "'");
    }
    return Long.parseLong(asset);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
