package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The lineage graph as of one point in time: lineage.edges plus the on-chain parent links of
 * chain.asset_versions (parent version → child version, relation {@code derived_from}), loaded into memory once
 * and then traversed upstream (against the data flow) or downstream with a depth limit and a cycle guard.
 *
 * <p>Versioned: {@link #asOfSnapshot} reads lineage.edges at an Iceberg snapshot and chain.asset_versions as of
 * that snapshot's commit time, so "what was upstream of V when snapshot X was current" has one answer forever.
 */
public final class LineageGraph {
  public static final String ORIGIN_EDGES = "lineage.edges";
  public static final String ORIGIN_CHAIN = "chain";
  public static final String ASSET_VERSION = NodeKind.ASSET_VERSION.id();

  private final Map<LineageNode, List<LineageHop>> out = new HashMap<>();
  private final Map<LineageNode, List<LineageHop>> in = new HashMap<>();
  private final Long edgesSnapshotId;
  private final Long chainSnapshotId;

  private LineageGraph(Long edgesSnapshotId, Long chainSnapshotId) {
    this.edgesSnapshotId = edgesSnapshotId;
    this.chainSnapshotId = chainSnapshotId;
  }

  /** The graph of the current table states. */
  public static LineageGraph latest(Lakehouse lakehouse) {
    Table edges = lakehouse.table(TableModel.LINEAGE_EDGES);
    edges.refresh();
    Snapshot s = edges.currentSnapshot();
    return load(lakehouse, s == null ? null : s.snapshotId(), Long.MAX_VALUE);
  }

  /** The graph as it was when lineage.edges snapshot {@code snapshotId} was current. */
  public static LineageGraph asOfSnapshot(Lakehouse lakehouse, long snapshotId) {
    Table edges = lakehouse.table(TableModel.LINEAGE_EDGES);
    edges.refresh();
    Snapshot s = edges.snapshot(snapshotId);
    if (s == null) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "lineage.edges has no snapshot %d; list snapshots with: select snapshot_id, committed_at from lineage.edges.snapshots",
          snapshotId);
    }
    return load(lakehouse, snapshotId, s.timestampMillis());
  }

  /** The graph as of a wall-clock time (epoch millis): the snapshots current at that time. */
  public static LineageGraph asOfTime(Lakehouse lakehouse, long epochMillis) {
    Table edges = lakehouse.table(TableModel.LINEAGE_EDGES);
    edges.refresh();
    Long snapshot = snapshotAt(edges, epochMillis);
    return load(lakehouse, snapshot, epochMillis);
  }

  private static LineageGraph load(Lakehouse lakehouse, Long edgesSnapshot, long chainAsOfMillis) {
    Table versions = lakehouse.table(TableModel.CHAIN_ASSET_VERSIONS);
    versions.refresh();
    Long chainSnapshot = chainAsOfMillis == Long.MAX_VALUE
        ? (versions.currentSnapshot() == null ? null : versions.currentSnapshot().snapshotId())
        : snapshotAt(versions, chainAsOfMillis);
    return at(lakehouse, edgesSnapshot, chainSnapshot);
  }

  /**
   * The graph of lineage.edges at {@code edgesSnapshot} and chain.asset_versions at {@code chainSnapshot} (either
   * null for "empty"): the exact pair a lineage.closure snapshot records it was built from.
   */
  public static LineageGraph at(Lakehouse lakehouse, Long edgesSnapshot, Long chainSnapshot) {
    LineageGraph g = new LineageGraph(edgesSnapshot, chainSnapshot);
    if (edgesSnapshot != null) {
      for (Record r : read(lakehouse.table(TableModel.LINEAGE_EDGES), edgesSnapshot)) {
        g.add(new LineageNode(str(r, "source_kind"), str(r, "source_id")),
            new LineageNode(str(r, "target_kind"), str(r, "target_id")), str(r, "relation"), ORIGIN_EDGES);
      }
    }
    for (ChainLink link : chainLinks(lakehouse, chainSnapshot)) {
      g.add(new LineageNode(ASSET_VERSION, link.parent()), new LineageNode(ASSET_VERSION, link.child()),
          "derived_from", ORIGIN_CHAIN);
    }
    return g;
  }

  /** An on-chain parent link: asset version {@code parent} → {@code child}, both {@code asset_id@version_id}. */
  record ChainLink(String parent, String child) {}

  /**
   * The on-chain parent links of chain.asset_versions at {@code chainSnapshot} (none when null), sorted: all the
   * graph takes from that table, so two snapshots with the same links (e.g. one that only moved finality) give
   * the same graph.
   */
  static List<ChainLink> chainLinks(Lakehouse lakehouse, Long chainSnapshot) {
    if (chainSnapshot == null) {
      return List.of();
    }
    List<Record> rows = read(lakehouse.table(TableModel.CHAIN_ASSET_VERSIONS), chainSnapshot);
    // On chain, parents are asset_id@version (per-asset number); nodes use asset_id@version_id like lineage.edges.
    Map<String, String> idOfNumber = new HashMap<>();
    for (Record r : rows) {
      idOfNumber.put(str(r, "asset_id") + "@" + r.getField("version"), versionNode(r));
    }
    List<ChainLink> links = new ArrayList<>();
    for (Record r : rows) {
      Object parents = r.getField("parents");
      if (parents instanceof List<?> list) {
        for (Object p : list) {
          links.add(new ChainLink(idOfNumber.getOrDefault(String.valueOf(p), String.valueOf(p)), versionNode(r)));
        }
      }
    }
    links.sort(Comparator.comparing(ChainLink::parent).thenComparing(ChainLink::child));
    return links;
  }

  /** The lineage.edges snapshot this graph was read from (null: none, the table was empty). */
  public Long edgesSnapshotId() {
    return edgesSnapshotId;
  }

  /** The chain.asset_versions snapshot this graph was read from (null: none). */
  public Long chainSnapshotId() {
    return chainSnapshotId;
  }

  /** Every node with at least one edge. */
  Set<LineageNode> nodes() {
    Set<LineageNode> all = new HashSet<>(out.keySet());
    all.addAll(in.keySet());
    return all;
  }

  /** Edges into {@code node} (its inputs), in data-flow direction. */
  List<LineageHop> inputs(LineageNode node) {
    return in.getOrDefault(node, List.of());
  }

  boolean hasInputs(LineageNode node) {
    return in.containsKey(node);
  }

  boolean hasOutputs(LineageNode node) {
    return out.containsKey(node);
  }

  private static String versionNode(Record r) {
    Object id = r.getField("version_id");
    return str(r, "asset_id") + "@" + (id != null ? id : r.getField("version"));
  }

  /** Adds an edge in data-flow direction; public for callers that build graphs from other sources (benchmarks). */
  public void add(LineageNode source, LineageNode target, String relation, String origin) {
    LineageHop edge = new LineageHop(source, target, relation, 0, origin);
    out.computeIfAbsent(source, k -> new ArrayList<>()).add(edge);
    in.computeIfAbsent(target, k -> new ArrayList<>()).add(edge);
  }

  /** An empty graph to {@link #add} to. */
  public static LineageGraph empty() {
    return new LineageGraph(null, null);
  }

  public LineageResult upstream(LineageNode start, int maxDepth) {
    return traverse(start, maxDepth, true);
  }

  public LineageResult downstream(LineageNode start, int maxDepth) {
    return traverse(start, maxDepth, false);
  }

  /** Breadth first, so every node is reported at its shortest depth; a node is expanded once (cycle guard). */
  private LineageResult traverse(LineageNode start, int maxDepth, boolean upstream) {
    requireNonNull(start, "start");
    if (maxDepth < 1) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "lineage depth must be at least 1, got %d", maxDepth);
    }
    Map<LineageNode, List<LineageHop>> adjacency = upstream ? in : out;
    List<LineageHop> hops = new ArrayList<>();
    Set<LineageNode> reached = new HashSet<>();
    reached.add(start);
    Deque<LineageNode> frontier = new ArrayDeque<>(List.of(start));
    boolean truncated = false;
    int alreadyReached = 0;
    for (int depth = 1; !frontier.isEmpty(); depth++) {
      Deque<LineageNode> next = new ArrayDeque<>();
      for (LineageNode node : frontier) {
        for (LineageHop e : adjacency.getOrDefault(node, List.of())) {
          if (depth > maxDepth) {
            truncated = true;
            break;
          }
          LineageNode far = upstream ? e.source() : e.target();
          hops.add(new LineageHop(e.source(), e.target(), e.relation(), depth, e.origin()));
          if (reached.add(far)) {
            next.add(far);
          } else {
            alreadyReached++;
          }
        }
      }
      if (depth > maxDepth) {
        break;
      }
      frontier = next;
    }
    return new LineageResult(start, upstream, maxDepth, hops, truncated, alreadyReached, edgesSnapshotId);
  }

  private static Long snapshotAt(Table table, long epochMillis) {
    Long found = null;
    long best = Long.MIN_VALUE;
    for (Snapshot s : SnapshotUtil.currentAncestors(table)) {
      if (s.timestampMillis() <= epochMillis && s.timestampMillis() > best) {
        best = s.timestampMillis();
        found = s.snapshotId();
      }
    }
    return found;
  }

  private static List<Record> read(Table table, long snapshotId) {
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
      it.forEach(rows::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static String str(Record r, String field) {
    Object v = r.getField(field);
    return v == null ? null : v.toString();
  }
}
