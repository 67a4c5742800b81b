package io.ledgerlake.training.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.jobs.publish.PublishDerivedJob;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.JournaledLog;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.provenance.licence.LicenceGate;
import io.ledgerlake.provenance.model.Addresses;
import io.ledgerlake.jobs.attribution.MeteredRequestException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Licence-gated calls of a published model, metered: what {@code POST /v1/models/predict} runs. Order: validate the
 * request (nothing else happens for bad input), replay a recorded call id, resolve the asset to its model, check the
 * caller's licence on the model asset (402 without one — a licence on the training data is not a licence on the
 * model), predict, record one attribution.model_calls row (durable before the answer is returned, through a
 * {@link JournaledLog} under {@code <data dir>/models/call-journal}), answer. A call is one metered unit whatever its
 * number of inputs (at most {@link #MAX_INPUTS}). Thread-safe.
 */
public final class ModelCallService implements AutoCloseable {
  public static final int MAX_INPUTS = 64;
  public static final int MAX_INPUT_CHARS = 20_000;
  static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  /** How often the published models are re-read (and at once when an asset is not found). */
  static final Duration ASSETS_REFRESH = Duration.ofSeconds(10);
  /** The shortest time between two reloads caused by an unknown asset. */
  static final Duration RELOAD_ON_MISS = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Journal line format. */
  static final int FORMAT = 1;

  /** One call: the model asset, the texts to classify, and an optional id that makes retries safe. */
  public record Request(String asset, List<String> inputs, String callId) {}

  /** A published model: its asset, its ml.models row, what it was trained on. */
  public record Target(long assetId, String modelId, String modelCid, String datasetId, String versionTag) {}

  /** The class predicted for one input, with its probability. */
  public record Prediction(String label, double probability) {}

  /** What a model answers: one prediction per input, in input order. */
  public interface Predictor {
    List<Prediction> predict(Target model, List<String> inputs);
  }

  /** The answer; {@code recorded} is false for a retry of a recorded call id (the same call, metered once). */
  public record Outcome(String callId, LicenceGate.Licence licence, Target target, List<Prediction> predictions,
      boolean recorded) {}

  /** One answered call, as attribution.model_calls and the journal hold it. */
  public record Call(String callId, String inputSha256, String caller, LicenceGate.Licence licence, Target target,
      int inputs, Instant at) {}

  private record Published(List<PublishDerivedJob.Publication> models, Instant loadedAt) {}

  private final Lakehouse lakehouse;
  private final LicenceGate licences;
  private final Predictor predictor;
  private final JournaledLog<Call> log;
  private final Clock clock;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();
  private volatile Published published;

  public ModelCallService(Lakehouse lakehouse, LicenceGate licences, Predictor predictor, Clock clock) {
    this(lakehouse, licences, predictor, clock, Duration.ofMillis(500));
  }

  /** With another interval between table commits (tests hold the journal back with a long one). */
  ModelCallService(Lakehouse lakehouse, LicenceGate licences, Predictor predictor, Clock clock, Duration flush) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.licences = requireNonNull(licences, "licences");
    this.predictor = requireNonNull(predictor, "predictor");
    this.clock = requireNonNull(clock, "clock");
    this.log = new JournaledLog<>(lakehouse, TableModel.ATTRIBUTION_MODEL_CALLS, new Codec(),
        lakehouse.options().dataDir().resolve("models").resolve("call-journal"), flush);
  }

  public Outcome call(String caller, Request r) {
    String who = Addresses.normalize(caller);
    validate(r);
    long assetId = parseAsset(r.asset());
    String sha = sha256(r.inputs());
    Optional<JournaledLog.Recorded> earlier = r.callId() == null ? Optional.empty() : log.recorded(r.callId());
    if (earlier.isPresent() && (!earlier.get().requestSha256().equals(sha) || !earlier.get().caller().equals(who))) {
      throw new ModelCallException(Reason.ID_CONFLICT, "call id %s was used before %s; use a new call id for a"
          + " new call", r.callId(), earlier.get().caller().equals(who) ? "with other inputs" : "by another caller");
    }
    Target target = resolve(assetId);
    LicenceGate.Licence licence = licences.allowing(who, List.of(assetId)).orElseThrow(() ->
        new ModelCallException(Reason.LICENCE_REQUIRED, "%s holds no licence on model asset %d: buy full access, a"
            + " long-term licence or a partnership, or deposit for API calls (e.g. 'ledgerlake license buy --asset %d"
            + " --kind api --deposit-wei N'); a licence on its training data does not cover the model", who, assetId,
            assetId));
    List<Prediction> predictions = predictor.predict(target, r.inputs());
    if (earlier.isPresent()) {
      return new Outcome(r.callId(), licence, target, predictions, false);
    }
    String callId = r.callId() != null ? r.callId() : UUID.randomUUID().toString();
    boolean recorded = log.record(new Call(callId, sha, who, licence, target, r.inputs().size(), clock.instant()));
    return new Outcome(callId, licence, target, predictions, recorded);
  }

  private static void validate(Request r) {
    if (r.inputs() == null || r.inputs().isEmpty()) {
      throw new ModelCallException(Reason.BAD_REQUEST, "inputs must hold 1 to %d texts to classify", MAX_INPUTS);
    }
    if (r.inputs().size() > MAX_INPUTS) {
      throw new ModelCallException(Reason.BAD_REQUEST, "%d inputs in one call; at most %d (split them over calls)",
          r.inputs().size(), MAX_INPUTS);
    }
    for (int i = 0; i < r.inputs().size(); i++) {
      String text = r.inputs().get(i);
      if (text == null || text.isBlank()) {
        throw new ModelCallException(Reason.BAD_REQUEST, "input %d is empty; every input is a text to classify", i);
      }
      if (text.length() > MAX_INPUT_CHARS) {
        throw new ModelCallException(Reason.BAD_REQUEST, "input %d has %d characters; at most %d", i, text.length(),
            MAX_INPUT_CHARS);
      }
    }
    if (r.callId() != null && !CALL_ID.matcher(r.callId()).matches()) {
      throw new ModelCallException(Reason.BAD_REQUEST, "callId must be 1-128 letters, digits, '.', '_', ':' or '-'"
          + " (a UUID works)");
    }
  }

  /**
   * The published model of {@code assetId}, reloading the publications if it is not known yet — at most once a
   * second, so that callers naming unknown assets cannot make every request re-read ops.job_runs.
   */
  Target resolve(long assetId) {
    Optional<PublishDerivedJob.Publication> p = find(assetId, false);
    Published s = published;
    if (p.isEmpty() && !clock.instant().isBefore(s.loadedAt().plus(RELOAD_ON_MISS))) {
      p = find(assetId, true);
    }
    PublishDerivedJob.Publication model = p.orElseThrow(() -> new ModelCallException(Reason.NOT_FOUND,
        "asset %d is not a published model; publish one with 'ledgerlake publish --model ID'", assetId));
    return targets.computeIfAbsent(model.cid(), cid -> target(assetId, model));
  }

  private Optional<PublishDerivedJob.Publication> find(long assetId, boolean reload) {
    Published s = published;
    Instant now = clock.instant();
    if (reload || s == null || !now.isBefore(s.loadedAt().plus(ASSETS_REFRESH))) {
      s = new Published(PublishDerivedJob.publications(lakehouse, -1).stream()
          .filter(x -> x.kind() == PublishDerivedJob.Kind.MODEL).toList(), now);
      published = s;
    }
    // The newest version of the asset answers.
    return s.models().stream().filter(x -> x.assetId() == assetId)
        .max(java.util.Comparator.comparingLong(PublishDerivedJob.Publication::versionId));
  }

  private Target target(long assetId, PublishDerivedJob.Publication p) {
    try (CloseableIterable<Record> rows = IcebergGenerics.read(lakehouse.table(TableModel.ML_MODELS))
        .where(Expressions.equal("model_cid", p.cid())).select("model_id", "dataset_id", "version_tag").build()) {
      for (Record r : rows) {
        return new Target(assetId, (String) r.getField("model_id"), p.cid(), (String) r.getField("dataset_id"),
            (String) r.getField("version_tag"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new ModelCallException(Reason.NOT_FOUND, "model asset %d names model %s, which is not in ml.models of this"
        + " catalog", assetId, p.cid());
  }

  private static long parseAsset(String asset) {
    if (asset == null || !asset.matches("[0-9]{1,18}")) {
      throw new ModelCallException(Reason.BAD_REQUEST, "asset must be an on-chain asset id (a positive integer), got"
          + " %s", asset == null ? "nothing" : "'" + (asset.length() > 40 ? asset.substring(0, 40) + "..." : asset)
          + "'");
    }
    return Long.parseLong(asset);
  }

  /** SHA-256 of the inputs as a JSON array: what tells a retry (same inputs) from a reuse of its call id. */
  static String sha256(List<String> inputs) {
    ArrayNode a = JSON.createArrayNode();
    inputs.forEach(a::add);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(a.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops as a crash would: nothing more reaches the table, the journal stays (for tests of recovery). */
  void abandon() throws IOException {
    log.abandon();
  }

  /** Journals what is queued, commits the journal to the table, then stops. */
  @Override
  public void close() {
    log.close();
  }

  static String toJson(Call c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("call_id", c.callId()).put("input_sha256", c.inputSha256()).put("caller", c.caller());
    n.putObject("licence").put("kind", c.licence().kind()).put("asset_id", c.licence().assetId());
    Target t = c.target();
    n.putObject("target").put("asset_id", t.assetId()).put("model_id", t.modelId()).put("model_cid", t.modelCid())
        .put("dataset_id", t.datasetId()).put("version_tag", t.versionTag());
    n.put("inputs", c.inputs()).put("at", c.at().toString());
    return n.toString();
  }

  static Call fromJson(JsonNode n) {
    if (n.path("format").asInt() != FORMAT) {
      throw new IllegalArgumentException("model call journal format " + n.path("format") + " is not " + FORMAT);
    }
    JsonNode t = n.path("target");
    return new Call(n.path("call_id").asText(), n.path("input_sha256").asText(), n.path("caller").asText(),
        new LicenceGate.Licence(n.path("licence").path("kind").asText(), n.path("licence").path("asset_id").asLong()),
        new Target(t.path("asset_id").asLong(), t.path("model_id").asText(), t.path("model_cid").asText(),
            t.path("dataset_id").asText(), t.path("version_tag").asText()),
        n.path("inputs").asInt(), Instant.parse(n.path("at").asText()));
  }

  private static final class Codec implements JournaledLog.Codec<Call> {
    @Override
    public String id(Call c) {
      return c.callId();
    }

    @Override
    public JournaledLog.Recorded recorded(Call c) {
      return new JournaledLog.Recorded(c.inputSha256(), c.caller());
    }

    @Override
    public List<String> idColumns() {
      return List.of("call_id", "input_sha256", "caller");
    }

    @Override
    public String toJson(Call c) {
      return ModelCallService.toJson(c);
    }

    @Override
    public Call fromJson(JsonNode line) {
      return ModelCallService.fromJson(line);
    }

    @Override
    public List<Record> rows(Call c, Schema schema) {
      Map<String, Object> v = new HashMap<>();
      v.put("call_id", c.callId());
      v.put("input_sha256", c.inputSha256());
      v.put("caller", c.caller());
      v.put("license_kind", c.licence().kind());
      v.put("license_asset_id", Long.toString(c.licence().assetId()));
      v.put("asset_id", Long.toString(c.target().assetId()));
      v.put("model_cid", c.target().modelCid());
      v.put("model_id", c.target().modelId());
      v.put("dataset_id", c.target().datasetId());
      v.put("version_tag", c.target().versionTag());
      v.put("inputs", c.inputs());
      v.put("called_at", c.at().atOffset(ZoneOffset.UTC));
      return List.of(Rows.of(schema, v));
    }
  }
}
