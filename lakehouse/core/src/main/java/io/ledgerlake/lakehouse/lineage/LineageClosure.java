package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lineage.closure: the transitive closure of a {@link LineageGraph}, so that SQL engines without recursive queries
 * (Spark 4.0) can walk lineage with a plain filter. One row per (ancestor, descendant) pair within a maximum depth,
 * carrying the shortest depth, the next node on a shortest path, and the two flags that make a depth-limited walk's
 * {@code truncated} answer computable: {@link Pair#upstreamContinues} and {@link Pair#downstreamContinues}.
 *
 * <p>For every start node and depth limit {@code d <= maxDepth} the rows give exactly what {@link
 * LineageGraph#upstream}/{@link LineageGraph#downstream} answer: the nodes are the rows with {@code depth <= d}
 * (the start itself only when it lies on a cycle of at most {@code d} hops, as the Java walk reports it), and the
 * walk is truncated iff a row at {@code depth = d} has its {@code *_continues} flag set. Pairs deeper than {@code
 * maxDepth} (the {@code max_depth} column) are not stored; a deeper walk is answered up to it and reported
 * truncated there ({@code depth = least(d, max_depth)}).
 *
 * <p>Versioned: {@link #refresh} rebuilds the table in one overwrite commit whose snapshot summary names the
 * lineage.edges and chain.asset_versions snapshots it was built from ({@link State}), so {@code VERSION AS OF} on
 * lineage.closure gives the lineage of any earlier state. See docs/decisions/lakehouse-lineage-closure.md.
 */
public final class LineageClosure {
  private static final Logger LOG = LoggerFactory.getLogger(LineageClosure.class);
  private static final int COMMIT_ATTEMPTS = 3;

  private static final Comparator<LineageNode> NODE_ORDER =
      Comparator.comparing(LineageNode::kind).thenComparing(LineageNode::id);
  /** Among equally short paths, the one through the smallest next node (then relation, origin): deterministic. */
  private static final Comparator<LineageHop> EDGE_ORDER =
      Comparator.comparing(LineageHop::target, NODE_ORDER).thenComparing(LineageHop::relation)
          .thenComparing(LineageHop::origin);

  private LineageClosure() {}

  /**
   * One closure row: {@code ancestor} reaches {@code descendant} in {@code depth} hops at the fewest, first
   * through {@code via} (the edge {@code ancestor -relation-> via} comes from {@code origin}).
   *
   * @param upstreamContinues the ancestor has inputs and is not the descendant itself: an upstream walk from the
   *     descendant with depth limit {@code depth} is truncated
   * @param downstreamContinues the descendant has outputs and is not the ancestor itself: a downstream walk from
   *     the ancestor with depth limit {@code depth} is truncated
   */
  public record Pair(LineageNode ancestor, LineageNode descendant, int depth, LineageNode via, String relation,
      String origin, boolean upstreamContinues, boolean downstreamContinues) {
    public Pair {
      requireNonNull(ancestor, "ancestor");
      requireNonNull(descendant, "descendant");
      requireNonNull(via, "via");
      requireNonNull(relation, "relation");
      requireNonNull(origin, "origin");
    }
  }

  /**
   * What a closure snapshot was built from, stored in its snapshot summary (format version {@value #FORMAT}; format
   * 1 lacked {@code chainLinks} and is still read).
   *
   * @param edgesSnapshotId lineage.edges snapshot read (null: the table had none)
   * @param chainSnapshotId chain.asset_versions snapshot read (null: none)
   * @param chainLinks SHA-256 (hex) of the on-chain parent links read from that snapshot; null when written by
   *     format 1. The indexer commits chain.asset_versions whenever finality moves, so "is the closure current" is
   *     decided on the links, not on the snapshot id: otherwise every head move would rebuild the whole closure.
   */
  public record State(Long edgesSnapshotId, Long chainSnapshotId, String chainLinks, int maxDepth) {
    public static final String FORMAT = "2";
    public static final String FORMAT_KEY = "ledgerlake.lineage.closure-format";
    public static final String EDGES_KEY = "ledgerlake.lineage.edges-snapshot";
    public static final String CHAIN_KEY = "ledgerlake.lineage.chain-snapshot";
    public static final String CHAIN_LINKS_KEY = "ledgerlake.lineage.chain-links-sha256";
    public static final String MAX_DEPTH_KEY = "ledgerlake.lineage.closure-max-depth";
    private static final String NONE = "none";

    public Map<String, String> toSummary() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put(FORMAT_KEY, FORMAT);
      m.put(EDGES_KEY, edgesSnapshotId == null ? NONE : edgesSnapshotId.toString());
      m.put(CHAIN_KEY, chainSnapshotId == null ? NONE : chainSnapshotId.toString());
      if (chainLinks != null) {
        m.put(CHAIN_LINKS_KEY, chainLinks);
      }
      m.put(MAX_DEPTH_KEY, Integer.toString(maxDepth));
      return m;
    }

    /** True when a closure built from {@code other} has the same rows as one built from this state. */
    public boolean sameInputs(State other) {
      return other != null && Objects.equals(edgesSnapshotId, other.edgesSnapshotId) && chainLinks != null
          && chainLinks.equals(other.chainLinks) && maxDepth == other.maxDepth;
    }

    /** The state of a snapshot summary; empty when the summary has none (not written by {@link #refresh}). */
    public static Optional<State> fromSummary(Map<String, String> summary) {
      String format = summary.get(FORMAT_KEY);
      if (format == null) {
        return Optional.empty();
      }
      if (!FORMAT.equals(format) && !"1".equals(format)) {
        throw new LakehouseException(ErrorCategory.INTERNAL,
            "lineage.closure snapshot has summary format %s, this version reads 1 and %s; upgrade LedgerLake",
            format, FORMAT);
      }
      return Optional.of(new State(id(summary.get(EDGES_KEY)), id(summary.get(CHAIN_KEY)),
          summary.get(CHAIN_LINKS_KEY), Integer.parseInt(summary.get(MAX_DEPTH_KEY))));
    }

    private static Long id(String text) {
      return text == null || NONE.equals(text) ? null : Long.valueOf(text);
    }

    static String digest(List<LineageGraph.ChainLink> links) {
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
      for (LineageGraph.ChainLink l : links) {
        sha.update((l.parent() + "\n" + l.child() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    }
  }

  /**
   * What a refresh did.
   *
   * @param closureSnapshotId the lineage.closure snapshot that reflects {@code state}
   * @param rows rows written, or -1 when the closure was already up to date and nothing was written
   */
  public record Refresh(long closureSnapshotId, State state, long rows) {
    public Refresh {
      requireNonNull(state, "state");
    }

    public boolean rebuilt() {
      return rows >= 0;
    }
  }

  /** {@link #refresh(Lakehouse, int)} with {@code ledgerlake.lakehouse.lineage.closure-max-depth}. */
  public static Refresh refresh(Lakehouse lakehouse) {
    return refresh(lakehouse, lakehouse.options().lineageClosureMaxDepth());
  }

  /**
   * Rebuilds lineage.closure from the current lineage.edges and chain.asset_versions in one overwrite commit,
   * unless its current snapshot already reflects exactly those snapshots and this depth. Safe to call from every
   * writer of edges: a concurrent refresh makes the commit fail validation, and it is retried on the new state.
   */
  public static Refresh refresh(Lakehouse lakehouse, int maxDepth) {
    if (maxDepth < 1) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "closure max depth must be at least 1, got %d", maxDepth);
    }
    if (!lakehouse.catalog().tableExists(TableModel.LINEAGE_CLOSURE.identifier())) {
      // A lakehouse initialized before lineage.closure existed: adding tables is idempotent.
      lakehouse.init();
    }
    for (int attempt = 1; ; attempt++) {
      // Decide on cheap inputs first (two snapshot ids and the small chain table); load lineage.edges only to rebuild.
      Long edgesSnapshot = currentSnapshotId(lakehouse.table(TableModel.LINEAGE_EDGES));
      Long chainSnapshot = currentSnapshotId(lakehouse.table(TableModel.CHAIN_ASSET_VERSIONS));
      State state = new State(edgesSnapshot, chainSnapshot,
          State.digest(LineageGraph.chainLinks(lakehouse, chainSnapshot)), maxDepth);
      Table closure = lakehouse.table(TableModel.LINEAGE_CLOSURE);
      closure.refresh();
      Snapshot current = closure.currentSnapshot();
      Optional<State> built = current == null ? Optional.empty() : State.fromSummary(current.summary());
      if (built.filter(state::sameInputs).isPresent()) {
        return new Refresh(current.snapshotId(), built.get(), -1);
      }
      LineageGraph graph = LineageGraph.at(lakehouse, edgesSnapshot, chainSnapshot);
      AtomicLong rows = new AtomicLong();
      Iterable<Record> records =
          () -> new RecordIterator(closure.schema(), pairs(graph, maxDepth).iterator(), maxDepth, rows);
      try {
        long snapshot = TableAppender.replace(closure, dataFiles(closure), records, state.toSummary(),
            current == null ? null : current.snapshotId());
        LOG.info("Rebuilt lineage.closure: {} pairs, max depth {}, from lineage.edges snapshot {} and "
            + "chain.asset_versions snapshot {} (snapshot {})", rows.get(), maxDepth, state.edgesSnapshotId(),
            state.chainSnapshotId(), snapshot);
        return new Refresh(snapshot, state, rows.get());
      } catch (LakehouseException | CommitFailedException e) {
        if (attempt == COMMIT_ATTEMPTS || (e instanceof LakehouseException le && le.category() != ErrorCategory.EXTERNAL)) {
          throw e;
        }
        LOG.info("lineage.closure changed while it was rebuilt (attempt {}): rebuilding from the new state", attempt);
      }
    }
  }

  private static Long currentSnapshotId(Table table) {
    table.refresh();
    return table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
  }

  /**
   * Tags the closure snapshot of {@code refresh} (e.g. with a dataset version's tag, so {@code VERSION AS OF
   * '<tag>'} reads the lineage as it was when that version was published). An existing tag is left as it is:
   * tags are immutable in LedgerLake.
   */
  public static void tag(Lakehouse lakehouse, Refresh refresh, String tag) {
    Table closure = lakehouse.table(TableModel.LINEAGE_CLOSURE);
    closure.refresh();
    if (closure.refs().containsKey(tag)) {
      LOG.warn("lineage.closure already has tag {}; left unchanged", tag);
      return;
    }
    closure.manageSnapshots().createTag(tag, refresh.closureSnapshotId()).commit();
  }

  /**
   * The newest lineage.closure snapshot built from lineage.edges snapshot {@code edgesSnapshotId}: pass it to
   * {@code VERSION AS OF} for "lineage as of edges snapshot X". Empty if no refresh ran on that state.
   */
  public static Optional<Long> snapshotFor(Lakehouse lakehouse, long edgesSnapshotId) {
    Table closure = lakehouse.table(TableModel.LINEAGE_CLOSURE);
    closure.refresh();
    for (Snapshot s : SnapshotUtil.currentAncestors(closure)) {
      Optional<State> state = State.fromSummary(s.summary());
      if (state.isPresent() && Long.valueOf(edgesSnapshotId).equals(state.get().edgesSnapshotId())) {
        return Optional.of(s.snapshotId());
      }
    }
    return Optional.empty();
  }

  /** The state the current closure snapshot reflects; empty if it was never refreshed. */
  public static Optional<State> current(Lakehouse lakehouse) {
    Table closure = lakehouse.table(TableModel.LINEAGE_CLOSURE);
    closure.refresh();
    return closure.currentSnapshot() == null ? Optional.empty() : State.fromSummary(closure.currentSnapshot().summary());
  }

  /**
   * Every closure pair of {@code graph}, generated lazily, descendant by descendant in (kind, id) order, so a
   * written table is clustered for upstream lookups (its Parquet statistics prune by descendant).
   */
  public static Iterable<Pair> pairs(LineageGraph graph, int maxDepth) {
    List<LineageNode> nodes = new ArrayList<>(graph.nodes());
    nodes.sort(NODE_ORDER);
    return () -> new Iterator<>() {
      private final Iterator<LineageNode> descendants = nodes.iterator();
      private Iterator<Pair> current = List.<Pair>of().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && descendants.hasNext()) {
          current = upstreamOf(graph, descendants.next(), maxDepth).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Pair next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** Breadth first against the data flow, each node expanded once (the cycle guard), as LineageGraph walks. */
  static List<Pair> upstreamOf(LineageGraph graph, LineageNode descendant, int maxDepth) {
    List<Pair> out = new ArrayList<>();
    Set<LineageNode> reached = new HashSet<>();
    reached.add(descendant);
    boolean selfReached = false;
    List<LineageNode> frontier = List.of(descendant);
    boolean hasOutputs = graph.hasOutputs(descendant);
    for (int depth = 1; depth <= maxDepth && !frontier.isEmpty(); depth++) {
      Map<LineageNode, LineageHop> level = new HashMap<>();
      for (LineageNode n : frontier) {
        for (LineageHop e : graph.inputs(n)) {
          LineageNode a = e.source();
          if (a.equals(descendant) ? selfReached : reached.contains(a)) {
            continue;
          }
          level.merge(a, e, (p, q) -> EDGE_ORDER.compare(p, q) <= 0 ? p : q);
        }
      }
      List<LineageNode> ancestors = new ArrayList<>(level.keySet());
      ancestors.sort(NODE_ORDER);
      List<LineageNode> next = new ArrayList<>();
      for (LineageNode a : ancestors) {
        LineageHop e = level.get(a);
        boolean self = a.equals(descendant);
        out.add(new Pair(a, descendant, depth, e.target(), e.relation(), e.origin(), !self && graph.hasInputs(a),
            !self && hasOutputs));
        if (self) {
          selfReached = true;
        } else {
          reached.add(a);
          next.add(a);
        }
      }
      frontier = next;
    }
    return out;
  }

  private static List<DataFile> dataFiles(Table table) {
    List<DataFile> files = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return files;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(t -> files.add(t.file().copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** Pairs as table rows, counted as they are written. */
  private static final class RecordIterator implements Iterator<Record> {
    private final Schema schema;
    private final Iterator<Pair> pairs;
    private final int maxDepth;
    private final AtomicLong count;

    RecordIterator(Schema schema, Iterator<Pair> pairs, int maxDepth, AtomicLong count) {
      this.schema = schema;
      this.pairs = pairs;
      this.maxDepth = maxDepth;
      this.count = count;
    }

    @Override
    public boolean hasNext() {
      return pairs.hasNext();
    }

    @Override
    public Record next() {
      Pair p = pairs.next();
      GenericRecord r = GenericRecord.create(schema);
      r.setField("ancestor_kind", p.ancestor().kind());
      r.setField("ancestor_id", p.ancestor().id());
      r.setField("descendant_kind", p.descendant().kind());
      r.setField("descendant_id", p.descendant().id());
      r.setField("depth", p.depth());
      r.setField("via_kind", p.via().kind());
      r.setField("via_id", p.via().id());
      r.setField("relation", p.relation());
      r.setField("origin", p.origin());
      r.setField("upstream_continues", p.upstreamContinues());
      r.setField("downstream_continues", p.downstreamContinues());
      r.setField("max_depth", maxDepth);
      count.incrementAndGet();
      return r;
    }
  }
}
