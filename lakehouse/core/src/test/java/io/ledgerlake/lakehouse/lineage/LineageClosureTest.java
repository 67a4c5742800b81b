package io.ledgerlake.lakehouse.lineage;

import static io.ledgerlake.lakehouse.lineage.LineageGraphTest.edge;
import static io.ledgerlake.lakehouse.lineage.LineageGraphTest.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lineage.closure against LineageGraph's walks on a real embedded catalog: for every node, both directions and
 * every depth limit up to the closure's maximum, the rows give the same nodes, depths and truncated flag, on a graph
 * with a diamond, a path longer than the maximum depth and (later) a cycle; and time travel gives the older answer.
 */
class LineageClosureTest {
  static final int MAX_DEPTH = 4;
  static final LineageNode U1 = new LineageNode("submission", "bafyU1");
  static final LineageNode V1 = new LineageNode("dataset_version", "demo-v1");
  static final LineageNode I1 = new LineageNode("index", "i1");

  @TempDir Path dir;

  record Answer(Map<LineageNode, Integer> depths, boolean truncated) {}

  static Answer ofJava(LineageResult r) {
    return new Answer(r.depths(), r.truncated());
  }

  static Answer ofClosure(List<Record> rows, LineageNode start, boolean upstream, int depth) {
    Map<LineageNode, Integer> depths = new HashMap<>();
    boolean truncated = false;
    for (Record r : rows) {
      LineageNode from = node(r, upstream ? "descendant" : "ancestor");
      int d = (Integer) r.getField("depth");
      if (!from.equals(start) || d > depth) {
        continue;
      }
      depths.put(node(r, upstream ? "ancestor" : "descendant"), d);
      truncated |= d == depth && (Boolean) r.getField(upstream ? "upstream_continues" : "downstream_continues");
    }
    return new Answer(depths, truncated);
  }

  static LineageNode node(Record r, String prefix) {
    return new LineageNode((String) r.getField(prefix + "_kind"), (String) r.getField(prefix + "_id"));
  }

  static void assertSameAnswers(LineageGraph graph, List<Record> closure) {
    assertThat(graph.nodes()).hasSizeGreaterThan(5);
    for (LineageNode n : graph.nodes()) {
      for (int d = 1; d <= MAX_DEPTH; d++) {
        assertThat(ofClosure(closure, n, true, d)).as("upstream of %s, depth %d", n, d)
            .isEqualTo(ofJava(graph.upstream(n, d)));
        assertThat(ofClosure(closure, n, false, d)).as("downstream of %s, depth %d", n, d)
            .isEqualTo(ofJava(graph.downstream(n, d)));
      }
    }
  }

  static List<Record> read(Table t, long snapshot) {
    t.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).useSnapshot(snapshot).build()) {
      it.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * U1, U2 -contains-> demo-v1 -registered_as-> 1@1; U2 -contains-> demo-v2 -registered_as-> 1@2; on chain
   * 2@5 derives from both (a diamond), 3@6 from 2@5, 4@7 from 3@6; 4@7 -trained_on-> model m1 -indexed_from->
   * index i1: seven hops from U1 to i1, deeper than the closure's maximum.
   */
  static long writeGraph(Lakehouse lh) {
    Table edges = lh.table(TableModel.LINEAGE_EDGES);
    long first = TableAppender.append(edges, List.of(
        edge(edges, "submission", "bafyU1", "dataset_version", "demo-v1", "contains"),
        edge(edges, "submission", "bafyU2", "dataset_version", "demo-v1", "contains"),
        edge(edges, "submission", "bafyU2", "dataset_version", "demo-v2", "contains"),
        edge(edges, "dataset_version", "demo-v1", "asset_version", "1@1", "registered_as"),
        edge(edges, "dataset_version", "demo-v2", "asset_version", "1@2", "registered_as"),
        edge(edges, "asset_version", "4@7", "model", "m1", "trained_on"),
        edge(edges, "model", "m1", "index", "i1", "indexed_from")));
    Table versions = lh.table(TableModel.CHAIN_ASSET_VERSIONS);
    TableAppender.append(versions, List.of(version(versions, "1", 1, "1", List.of()),
        version(versions, "1", 2, "2", List.of()), version(versions, "2", 1, "5", List.of("1@1", "1@2")),
        version(versions, "3", 1, "6", List.of("2@1")), version(versions, "4", 1, "7", List.of("3@1"))));
    return first;
  }

  @Test
  void closureAnswersEveryWalkLikeTheJavaGraphAndTravelsInTime() {
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lh.init();
      long first = writeGraph(lh);
      Table closure = lh.table(TableModel.LINEAGE_CLOSURE);

      LineageClosure.Refresh r1 = LineageClosure.refresh(lh, MAX_DEPTH);
      assertThat(r1.rebuilt()).isTrue();
      assertThat(r1.state().edgesSnapshotId()).isEqualTo(first);
      assertThat(r1.state().maxDepth()).isEqualTo(MAX_DEPTH);
      List<Record> rows1 = read(closure, r1.closureSnapshotId());
      assertThat(rows1).hasSize((int) r1.rows());
      LineageGraph g1 = LineageGraph.latest(lh);
      assertSameAnswers(g1, rows1);
      // the depth cut is real: i1 is 7 hops below U1, beyond the closure
      assertThat(ofClosure(rows1, U1, false, MAX_DEPTH).truncated()).isTrue();
      assertThat(ofClosure(rows1, U1, false, MAX_DEPTH).depths()).doesNotContainKey(I1);
      // the path is spelled by following via: U1 -> demo-v1 is the first hop toward 2@5
      Record u1To25 = rows1.stream().filter(r -> node(r, "ancestor").equals(U1)
          && node(r, "descendant").equals(new LineageNode("asset_version", "2@5"))).findFirst().orElseThrow();
      assertThat(u1To25.getField("depth")).isEqualTo(3);
      assertThat(node(u1To25, "via")).isEqualTo(V1);
      assertThat(u1To25.getField("relation")).isEqualTo("contains");

      // nothing changed: no new snapshot
      LineageClosure.Refresh same = LineageClosure.refresh(lh, MAX_DEPTH);
      assertThat(same.rebuilt()).isFalse();
      assertThat(same.closureSnapshotId()).isEqualTo(r1.closureSnapshotId());
      // a chain.asset_versions commit that keeps every parent link (what the indexer commits when finality moves)
      Table versions = lh.table(TableModel.CHAIN_ASSET_VERSIONS);
      List<Record> rewritten = new ArrayList<>();
      for (Record r : read(versions, versions.currentSnapshot().snapshotId())) {
        Record copy = r.copy();
        copy.setField("finality", "finalized");
        rewritten.add(copy);
      }
      List<DataFile> old = new ArrayList<>();
      try (CloseableIterable<FileScanTask> tasks = versions.newScan().planFiles()) {
        tasks.forEach(t -> old.add(t.file()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      TableAppender.replace(versions, old, rewritten, Map.of(), versions.currentSnapshot().snapshotId());
      assertThat(LineageClosure.refresh(lh, MAX_DEPTH).rebuilt()).as("same links, same closure").isFalse();

      // a cycle (bad data): index i1 -> demo-v1
      Table edges = lh.table(TableModel.LINEAGE_EDGES);
      TableAppender.append(edges, List.of(edge(edges, "index", "i1", "dataset_version", "demo-v1", "derived_from")));
      LineageClosure.Refresh r2 = LineageClosure.refresh(lh, MAX_DEPTH);
      assertThat(r2.rebuilt()).isTrue();
      List<Record> rows2 = read(closure, r2.closureSnapshotId());
      LineageGraph g2 = LineageGraph.latest(lh);
      assertThat(g2.downstream(new LineageNode("model", "m1"), 10).alreadyReached()).isPositive();
      assertSameAnswers(g2, rows2);
      // m1 -> i1 -> demo-v1 -> 1@1 -> 2@5 -> 3@6 -> 4@7 -> m1 is a cycle of 7: beyond the closure's depth
      assertThat(ofClosure(rows2, new LineageNode("model", "m1"), false, MAX_DEPTH).depths())
          .containsEntry(I1, 1).containsEntry(V1, 2).doesNotContainKey(LineageNode.parse("model:m1"));
      assertThat(LineageClosure.current(lh)).contains(r2.state());

      // as of the first lineage.edges snapshot: the closure snapshot built from it, by time travel
      assertThat(LineageClosure.snapshotFor(lh, first)).contains(r1.closureSnapshotId());
      assertSameAnswers(LineageGraph.at(lh, first, r1.state().chainSnapshotId()),
          read(closure, LineageClosure.snapshotFor(lh, first).orElseThrow()));

      LineageClosure.tag(lh, r1, "demo-v1");
      closure.refresh();
      assertThat(closure.refs().get("demo-v1").snapshotId()).isEqualTo(r1.closureSnapshotId());
      LineageClosure.tag(lh, r2, "demo-v1");
      closure.refresh();
      assertThat(closure.refs().get("demo-v1").snapshotId()).as("tags are immutable").isEqualTo(r1.closureSnapshotId());

      assertThatThrownBy(() -> LineageClosure.refresh(lh, 0)).isInstanceOf(LakehouseException.class)
          .hasMessageContaining("at least 1");
    }
  }

  @Test
  void cycleLengthIsTheStartsOwnDepthAsTheJavaWalkReportsIt() {
    LineageGraph g = LineageGraph.empty();
    LineageNode a = new LineageNode("x", "a");
    LineageNode b = new LineageNode("x", "b");
    LineageNode c = new LineageNode("x", "c");
    g.add(a, b, "r", LineageGraph.ORIGIN_EDGES);
    g.add(b, c, "r", LineageGraph.ORIGIN_EDGES);
    g.add(c, a, "r", LineageGraph.ORIGIN_EDGES);
    List<LineageClosure.Pair> upOfA = LineageClosure.upstreamOf(g, a, 10);
    assertThat(upOfA).extracting(p -> p.ancestor().id() + p.depth()).containsExactly("c1", "b2", "a3");
    assertThat(upOfA.get(2).upstreamContinues()).as("the start is never expanded again").isFalse();
    assertThat(g.upstream(a, 3).nodes()).contains(a);
    assertThat(g.upstream(a, 2).nodes()).doesNotContain(a);
    assertThat(LineageClosure.pairs(g, 10)).hasSize(9);
  }

  @Test
  void stateRoundTripsThroughTheSnapshotSummary() {
    LineageClosure.State s = new LineageClosure.State(12L, null, "ab12", 32);
    assertThat(s.toSummary()).containsEntry("ledgerlake.lineage.closure-format", "2")
        .containsEntry("ledgerlake.lineage.chain-links-sha256", "ab12")
        .containsEntry("ledgerlake.lineage.edges-snapshot", "12").containsEntry("ledgerlake.lineage.chain-snapshot", "none");
    assertThat(LineageClosure.State.fromSummary(s.toSummary())).contains(s);
    assertThat(LineageClosure.State.fromSummary(Map.of("operation", "append"))).isEmpty();
    // format 1 (before the links digest) is still read; it never counts as current, so the next refresh rebuilds
    Map<String, String> v1 = new HashMap<>(s.toSummary());
    v1.put(LineageClosure.State.FORMAT_KEY, "1");
    v1.remove(LineageClosure.State.CHAIN_LINKS_KEY);
    LineageClosure.State old = LineageClosure.State.fromSummary(v1).orElseThrow();
    assertThat(old.chainLinks()).isNull();
    assertThat(s.sameInputs(old)).isFalse();
    assertThat(old.sameInputs(s)).isFalse();
    Map<String, String> future = new HashMap<>(s.toSummary());
    future.put(LineageClosure.State.FORMAT_KEY, "3");
    assertThatThrownBy(() -> LineageClosure.State.fromSummary(future)).isInstanceOf(LakehouseException.class)
        .hasMessageContaining("format 3");
  }
}
