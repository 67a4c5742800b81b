package io.ledgerlake.console.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.server.BadRequestException;
import io.ledgerlake.labeling.stage.LabelRows;
import io.ledgerlake.labeling.stage.RedactedTexts;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.lineage.LineageGraph;
import io.ledgerlake.lakehouse.lineage.LineageHop;
import io.ledgerlake.lakehouse.lineage.LineageNode;
import io.ledgerlake.lakehouse.lineage.NodeKind;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.versions.DatasetVersions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The console's reads over the lakehouse tables, through Iceberg's generic reader: small, selective scans a request
 * can afford (partition and column pruning, no Spark session in the request path).
 */
final class ConsoleReads {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TAG = Pattern.compile("(.+)-v\\d+");

  private final Lakehouse lakehouse;
  private final RedactedTexts texts;

  ConsoleReads(Lakehouse lakehouse, RedactedTexts texts) {
    this.lakehouse = lakehouse;
    this.texts = texts;
  }

  Lakehouse lakehouse() {
    return lakehouse;
  }

  /** The dataset's version tags, with what publishing recorded on chain for each (if it was published). */
  ArrayNode versions(String datasetId) {
    Table records = table(TableModel.INGEST_RECORDS);
    Map<String, ObjectNode> byTag = new TreeMap<>();
    new DatasetVersions(records).tags().forEach((tag, snapshot) -> {
      if (datasetOf(tag).equals(datasetId)) {
        byTag.put(tag, JSON.createObjectNode().put("tag", tag).put("snapshot", snapshot).put("published", false));
      }
    });
    scan(TableModel.CHAIN_ASSET_VERSIONS, Expressions.alwaysTrue(), r -> {
      String tag = (String) r.getField("lakehouse_tag");
      ObjectNode v = tag == null ? null : byTag.get(tag);
      if (v != null) {
        v.put("published", true).put("assetId", String.valueOf(r.getField("asset_id")))
            .put("version", String.valueOf(r.getField("version")))
            .put("versionId", String.valueOf(r.getField("version_id")))
            .put("manifestCid", (String) r.getField("manifest_cid"));
        Object count = r.getField("record_count");
        if (count != null) {
          v.put("records", ((Number) count).longValue());
        }
      }
    });
    ArrayNode out = JSON.createArrayNode();
    byTag.values().forEach(out::add);
    return out;
  }

  /**
   * A page of records by record CID ({@code after}: the previous page's last CID), as of {@code tag} (null: now), each
   * with its redacted text, its current labels and its curation result.
   */
  ObjectNode records(String datasetId, String tag, int limit, String after) {
    Table table = table(TableModel.INGEST_RECORDS);
    Expression filter = Expressions.equal("dataset_id", datasetId);
    if (after != null) {
      filter = Expressions.and(filter, Expressions.greaterThan("record_cid", after));
    }
    TreeMap<String, String> page = new TreeMap<>();
    Iterable<Record> rows;
    if (tag != null) {
      DatasetVersions versions = new DatasetVersions(table);
      if (!versions.tags().containsKey(tag) || !datasetOf(tag).equals(datasetId)) {
        throw new BadRequestException("Dataset " + datasetId + " has no version '" + tag + "'; GET /v1/datasets/"
            + datasetId + "/versions lists them");
      }
      rows = versions.read(tag, filter);
      keepFirst(rows, page, limit + 1);
    } else {
      try (CloseableIterable<Record> it = IcebergGenerics.read(table).where(filter)
          .select("record_cid", "contributor").build()) {
        keepFirst(it, page, limit + 1);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String next = null;
    if (page.size() > limit) {
      page.pollLastEntry();
      next = page.lastKey();
    }
    Map<String, RedactedTexts.Text> text = texts.of(datasetId, page.keySet());
    Map<String, Map<String, String>> labels = labels(datasetId, page.keySet());
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("records");
    page.forEach((cid, contributor) -> {
      ObjectNode r = list.addObject().put("recordCid", cid).put("contributor", contributor);
      RedactedTexts.Text t = text.get(cid);
      r.put("text", t == null ? "" : t.text()).put("redacted", t != null && t.redacted());
      Map<String, String> own = labels.getOrDefault(cid, Map.of());
      ObjectNode l = r.putObject("labels");
      List<String> reasons = new ArrayList<>();
      own.forEach((k, v) -> {
        if (k.startsWith(LabelRows.EXCLUSION_KEY_PREFIX)) {
          reasons.add(k.substring(LabelRows.EXCLUSION_KEY_PREFIX.length()) + (v.isEmpty() ? "" : ": " + v));
        } else if (!k.equals(LabelRows.REDACTED_TEXT_KEY)) {
          l.put(k, v);
        }
      });
      String curation = own.get(LabelRows.CURATION);
      if (curation == null) {
        r.putNull("included");
      } else {
        r.put("included", curation.equals(LabelRows.INCLUDED));
      }
      if (reasons.isEmpty()) {
        r.putNull("exclusionReason");
      } else {
        r.put("exclusionReason", String.join("; ", reasons));
      }
    });
    if (next == null) {
      out.putNull("next");
    } else {
      out.put("next", next);
    }
    return out;
  }

  private static void keepFirst(Iterable<Record> rows, TreeMap<String, String> page, int n) {
    for (Record r : rows) {
      page.put((String) r.getField("record_cid"), (String) r.getField("contributor"));
      if (page.size() > n) {
        page.pollLastEntry();
      }
    }
  }

  /** Each record's newest value per label key. */
  private Map<String, Map<String, String>> labels(String datasetId, Collection<String> cids) {
    Map<String, Map<String, String>> out = new HashMap<>();
    if (cids.isEmpty()) {
      return out;
    }
    Map<String, OffsetDateTime> newest = new HashMap<>();
    scan(TableModel.LABEL_LABELS, Expressions.and(Expressions.equal("dataset_id", datasetId),
        Expressions.in("record_cid", cids.toArray())), r -> {
          String cid = (String) r.getField("record_cid");
          String key = (String) r.getField("label_key");
          OffsetDateTime at = (OffsetDateTime) r.getField("labeled_at");
          OffsetDateTime seen = newest.get(cid + "\u0000" + key);
          if (seen == null || (at != null && at.isAfter(seen))) {
            newest.put(cid + "\u0000" + key, at == null ? OffsetDateTime.MIN : at);
            Object value = r.getField("value");
            out.computeIfAbsent(cid, c -> new TreeMap<>()).put(key, value == null ? "" : value.toString());
          }
        });
    return out;
  }

  /** The lineage around {@code start}; nodes of datasets in {@code hidden} are left out, with their edges. */
  LineageView lineage(LineageNode start, String direction, int depth, int limit, Set<String> hidden) {
    LineageGraph graph = LineageGraph.latest(lakehouse);
    List<LineageHop> hops = new ArrayList<>();
    boolean truncated = false;
    if (!direction.equals("down")) {
      var up = graph.upstream(start, depth);
      hops.addAll(up.hops());
      truncated |= up.truncated();
    }
    if (!direction.equals("up")) {
      var down = graph.downstream(start, depth);
      hops.addAll(down.hops());
      truncated |= down.truncated();
    }
    Map<LineageNode, Integer> nodes = new LinkedHashMap<>();
    nodes.put(start, 0);
    for (LineageHop h : hops) {
      nodes.merge(h.source(), h.depth(), Math::min);
      nodes.merge(h.target(), h.depth(), Math::min);
    }
    Set<LineageNode> invisible = invisible(nodes.keySet(), hidden);
    if (invisible.contains(start)) {
      throw new io.ledgerlake.ingestion.server.ResourceNotFoundException("No lineage node " + start);
    }
    return LineageView.of(start, nodes, hops, invisible, limit, truncated);
  }

  /** Nodes that belong to a dataset the caller may not read: its versions, records and uploads. */
  private Set<LineageNode> invisible(Collection<LineageNode> nodes, Set<String> hidden) {
    Set<LineageNode> out = new java.util.HashSet<>();
    if (hidden.isEmpty()) {
      return out;
    }
    List<String> records = new ArrayList<>();
    List<String> submissions = new ArrayList<>();
    for (LineageNode n : nodes) {
      if (n.kind().equals(NodeKind.DATASET_VERSION.id()) || n.kind().equals(NodeKind.EMBEDDINGS.id())) {
        if (hidden.contains(datasetOf(n.id()))) {
          out.add(n);
        }
      } else if (n.kind().equals(NodeKind.RECORD.id())) {
        records.add(n.id());
      } else if (n.kind().equals(NodeKind.SUBMISSION.id())) {
        submissions.add(n.id());
      }
    }
    if (!records.isEmpty()) {
      scan(TableModel.INGEST_RECORDS, Expressions.in("record_cid", records.toArray()), r -> {
        if (hidden.contains((String) r.getField("dataset_id"))) {
          out.add(new LineageNode(NodeKind.RECORD.id(), (String) r.getField("record_cid")));
        }
      });
    }
    if (!submissions.isEmpty()) {
      scan(TableModel.INGEST_SUBMISSIONS, Expressions.in("content_cid", submissions.toArray()), r -> {
        if (hidden.contains((String) r.getField("dataset_id"))) {
          out.add(new LineageNode(NodeKind.SUBMISSION.id(), (String) r.getField("content_cid")));
        }
      });
    }
    return out;
  }

  /**
   * The dataset's submissions the ingestion job has processed (ingest.submissions: the newest row of each), newest
   * first, at most {@code limit}; {@code GET /v1/submissions/{id}} has each one's rejections with their positions.
   */
  ArrayNode submissions(String datasetId, int limit) {
    Map<String, Record> newest = new HashMap<>();
    scan(TableModel.INGEST_SUBMISSIONS, Expressions.equal("dataset_id", datasetId), r -> {
      String id = (String) r.getField("submission_id");
      Record seen = newest.get(id);
      if (seen == null || later(r, seen)) {
        newest.put(id, r.copy());
      }
    });
    List<Record> rows = new ArrayList<>(newest.values());
    rows.sort((a, b) -> String.valueOf(b.getField("received_at")).compareTo(String.valueOf(a.getField("received_at"))));
    ArrayNode out = JSON.createArrayNode();
    for (Record r : rows.subList(0, Math.min(limit, rows.size()))) {
      ObjectNode o = out.addObject();
      for (String f : List.of("submission_id", "contributor", "content_cid", "format", "status", "received_at",
          "updated_at", "error")) {
        putText(o, camel(f), r.getField(f));
      }
      for (String f : List.of("byte_count", "accepted_records", "rejected_records", "duplicate_records")) {
        Object v = r.getField(f);
        o.put(camel(f), v == null ? 0 : ((Number) v).longValue());
      }
    }
    return out;
  }

  private static boolean later(Record a, Record b) {
    Object x = a.getField("updated_at");
    Object y = b.getField("updated_at");
    return x instanceof OffsetDateTime ax && (!(y instanceof OffsetDateTime by) || ax.isAfter(by));
  }

  /** attribution.revenue_shares rows of {@code address}: receipts of licence payments, royalties, usage. */
  ArrayNode shares(String address) {
    ArrayNode out = JSON.createArrayNode();
    scan(TableModel.ATTRIBUTION_REVENUE_SHARES, Expressions.equal("recipient", address), r -> {
      ObjectNode o = out.addObject()
          .put("kind", String.valueOf(r.getField("reason")))
          .put("assetId", String.valueOf(r.getField("asset_id")))
          .put("version", String.valueOf(r.getField("version")))
          .put("role", String.valueOf(r.getField("role")))
          .put("bps", r.getField("share_bps") == null ? 0 : ((Number) r.getField("share_bps")).intValue())
          .put("amountWei", r.getField("amount_wei") == null ? "0"
              : ((BigDecimal) r.getField("amount_wei")).toBigInteger().toString());
      putText(o, "paymentId", r.getField("payment_id"));
      putText(o, "viaAssetId", r.getField("via_asset_id"));
      putText(o, "epoch", r.getField("epoch"));
      putText(o, "basis", r.getField("basis"));
      putText(o, "status", r.getField("status"));
      putText(o, "computedAt", r.getField("computed_at"));
    });
    return out;
  }

  /** The latest reconciliation run's rows. */
  ObjectNode reconciliation() {
    List<Record> rows = new ArrayList<>();
    scan(TableModel.OPS_RECONCILIATION, Expressions.alwaysTrue(), r -> rows.add(r.copy()));
    ObjectNode out = JSON.createObjectNode();
    OffsetDateTime latest = null;
    String run = null;
    for (Record r : rows) {
      OffsetDateTime at = (OffsetDateTime) r.getField("checked_at");
      if (at != null && (latest == null || at.isAfter(latest))) {
        latest = at;
        run = (String) r.getField("run_id");
      }
    }
    ArrayNode items = out.putArray("items");
    int discrepancies = 0;
    for (Record r : rows) {
      if (run == null || !run.equals(r.getField("run_id"))) {
        continue;
      }
      ObjectNode o = items.addObject();
      for (String f : List.of("check_kind", "subject", "status", "expected", "actual", "detail")) {
        putText(o, camel(f), r.getField(f));
      }
      if (!"MATCH".equals(r.getField("status"))) {
        discrepancies++;
      }
    }
    if (run == null) {
      out.putNull("runId");
    } else {
      out.put("runId", run).put("checkedAt", latest.toString());
    }
    out.put("discrepancies", discrepancies);
    return out;
  }

  static String datasetOf(String tag) {
    Matcher m = TAG.matcher(tag);
    return m.matches() ? m.group(1) : tag;
  }

  private static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  private static void putText(ObjectNode o, String name, Object value) {
    if (value == null) {
      o.putNull(name);
    } else {
      o.put(name, value.toString());
    }
  }

  private Table table(io.ledgerlake.lakehouse.tables.TableDefinition definition) {
    Table t = lakehouse.table(definition);
    t.refresh();
    return t;
  }

  private void scan(io.ledgerlake.lakehouse.tables.TableDefinition definition, Expression filter,
      Consumer<Record> each) {
    Table t = table(definition);
    if (t.currentSnapshot() == null) {
      return;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).where(filter).build()) {
      rows.forEach(each);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
