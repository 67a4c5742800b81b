package io.ledgerlake.rag.query;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.JournaledLog;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.provenance.licence.LicenceGate;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;

/**
 * attribution.usage, written exactly once per query id by a {@link JournaledLog} under
 * {@code <data dir>/rag/usage-journal}: a query is acknowledged once its usage is fsynced in the journal, and reaches
 * the table at most about {@link #FLUSH_INTERVAL} after its answer, one row per returned passage (one writer process
 * per catalog; docs/decisions/rag-query-api.md).
 */
public final class UsageLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration FLUSH_INTERVAL = Duration.ofMillis(500);
  /** Journal line format. */
  static final int FORMAT = 1;

  /** What was recorded under a query id: the question's hash and the caller, to tell a retry from a reuse. */
  public record Recorded(String querySha256, String caller) {}

  /** One answered query, with the passages it returned (rank order). */
  public record Usage(String queryId, String querySha256, String caller, LicenceGate.Licence licence,
      RagAssets.Target target, List<RagRetriever.Passage> passages, int k, Instant at) {
    public Usage {
      requireNonNull(queryId, "queryId");
      passages = List.copyOf(passages);
    }
  }

  private final JournaledLog<Usage> log;

  public UsageLog(Lakehouse lakehouse) {
    this(lakehouse, FLUSH_INTERVAL);
  }

  /** With another interval between table commits (tests hold the journal back with a long one). */
  UsageLog(Lakehouse lakehouse, Duration flushInterval) {
    this.log = new JournaledLog<>(lakehouse, TableModel.ATTRIBUTION_USAGE, new Codec(),
        lakehouse.options().dataDir().resolve("rag").resolve("usage-journal"), flushInterval);
  }

  /** The query recorded under {@code queryId}, if any. */
  public Optional<Recorded> recorded(String queryId) {
    return log.recorded(queryId).map(r -> new Recorded(r.requestSha256(), r.caller()));
  }

  /**
   * Records {@code usage} and returns once it is durable (journaled): true if recorded now, false if its query id was
   * recorded before (nothing written). Throws if it could not be made durable: nothing of the query was recorded, and
   * a retry with the same query id is safe.
   */
  public boolean record(Usage usage) {
    return log.record(usage);
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

  private static final class Codec implements JournaledLog.Codec<Usage> {
    @Override
    public String id(Usage u) {
      return u.queryId();
    }

    @Override
    public JournaledLog.Recorded recorded(Usage u) {
      return new JournaledLog.Recorded(u.querySha256(), u.caller());
    }

    @Override
    public List<String> idColumns() {
      return List.of("query_id", "query_sha256", "caller");
    }

    @Override
    public String toJson(Usage u) {
      return UsageLog.toJson(u);
    }

    @Override
    public Usage fromJson(JsonNode line) {
      return UsageLog.fromJson(line);
    }

    @Override
    public List<Record> rows(Usage u, Schema schema) {
      List<Record> rows = new ArrayList<>();
      for (RagRetriever.Passage passage : u.passages()) {
        Map<String, Object> v = new HashMap<>();
        v.put("query_id", u.queryId());
        v.put("query_sha256", u.querySha256());
        v.put("caller", u.caller());
        v.put("license_kind", u.licence().kind());
        v.put("license_asset_id", Long.toString(u.licence().assetId()));
        v.put("asset_id", Long.toString(u.target().assetId()));
        v.put("dataset_id", u.target().datasetId());
        v.put("version_tag", u.target().versionTag());
        v.put("index_cid", u.target().indexCid());
        v.put("record_cid", passage.recordCid());
        v.put("chunk", passage.chunk());
        v.put("contributor", passage.contributor());
        v.put("rank", passage.rank());
        v.put("score", passage.score());
        v.put("k", u.k());
        v.put("queried_at", u.at().atOffset(ZoneOffset.UTC));
        rows.add(Rows.of(schema, v));
      }
      return rows;
    }
  }

  static String toJson(Usage u) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("query_id", u.queryId()).put("query_sha256", u.querySha256()).put("caller", u.caller());
    n.putObject("licence").put("kind", u.licence().kind()).put("asset_id", u.licence().assetId());
    RagAssets.Target t = u.target();
    n.putObject("target").put("asset_id", t.assetId()).put("index_asset_id", t.indexAssetId())
        .put("dataset_asset_id", t.datasetAssetId()).put("dataset_id", t.datasetId())
        .put("version_tag", t.versionTag()).put("index_cid", t.indexCid());
    ArrayNode passages = n.putArray("passages");
    u.passages().forEach(p -> passages.addObject().put("rank", p.rank()).put("record_cid", p.recordCid())
        .put("chunk", p.chunk()).put("contributor", p.contributor()).put("score", p.score()));
    n.put("k", u.k()).put("at", u.at().toString());
    return n.toString();
  }

  static Usage fromJson(JsonNode n) {
    if (n.path("format").asInt() != FORMAT) {
      throw new IllegalArgumentException("usage journal format " + n.path("format") + " is not " + FORMAT);
    }
    JsonNode t = n.path("target");
    List<RagRetriever.Passage> passages = new ArrayList<>();
    n.path("passages").forEach(p -> passages.add(new RagRetriever.Passage(p.path("rank").asInt(),
        p.path("record_cid").asText(), p.path("chunk").asInt(), p.path("contributor").asText(),
        p.path("score").asDouble(), ""))); // the text is not part of the usage record
    return new Usage(n.path("query_id").asText(), n.path("query_sha256").asText(), n.path("caller").asText(),
        new LicenceGate.Licence(n.path("licence").path("kind").asText(), n.path("licence").path("asset_id").asLong()),
        new RagAssets.Target(t.path("asset_id").asLong(), t.path("index_asset_id").asLong(),
            t.path("dataset_asset_id").asLong(), t.path("dataset_id").asText(), t.path("version_tag").asText(),
            t.path("index_cid").asText()),
        passages, n.path("k").asInt(), Instant.parse(n.path("at").asText()));
  }

}
