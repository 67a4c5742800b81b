package io.ledgerlake.lakehouse.lineage;

import java.util.HashMap;
import java.util.Map;

/**
 * Lineage upstream query time on an in-memory graph of 1M edges (issue 6 performance item), against a baseline
 * measured in the same run: one hash lookup per edge over all edges (the cost of touching the whole graph once).
 *
 * <p>Graph: 1,000 asset versions in a derivation chain (each derived from the previous one), each containing 999
 * uploads: 1,000 × 999 contains edges + 999 derived_from edges ≈ 1M. The query is upstream of the last version
 * with depth 2,000, i.e. the whole graph.
 *
 * <p>Run: see docs/benchmarks.md, section "Lineage traversal".
 */
public final class LineageBenchmark {
  private LineageBenchmark() {}

  public static void main(String[] args) {
    int versions = 1_000;
    int uploadsPerVersion = 999;
    LineageGraph g = LineageGraph.empty();
    Map<LineageNode, LineageNode> flat = new HashMap<>();
    for (int v = 0; v < versions; v++) {
      LineageNode version = new LineageNode("asset_version", "1@" + v);
      if (v > 0) {
        LineageNode parent = new LineageNode("asset_version", "1@" + (v - 1));
        g.add(parent, version, "derived_from", LineageGraph.ORIGIN_CHAIN);
        flat.put(parent, version);
      }
      for (int u = 0; u < uploadsPerVersion; u++) {
        LineageNode upload = new LineageNode("submission", "bafy" + v + "-" + u);
        g.add(upload, version, "contains", LineageGraph.ORIGIN_EDGES);
        flat.put(upload, version);
      }
    }
    LineageNode last = new LineageNode("asset_version", "1@" + (versions - 1));
    long edges = flat.size();
    for (int warm = 0; warm < 3; warm++) {
      g.upstream(last, 2_000);
      baseline(flat);
    }
    int runs = 5;
    long queryNanos = 0;
    long baseNanos = 0;
    int reached = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      reached = g.upstream(last, 2_000).nodes().size();
      long t1 = System.nanoTime();
      baseline(flat);
      long t2 = System.nanoTime();
      queryNanos += t1 - t0;
      baseNanos += t2 - t1;
    }
    System.out.printf("edges=%d reached=%d upstream(full graph)=%.1f ms baseline(one lookup per edge)=%.1f ms ratio=%.2f%n",
        edges, reached, queryNanos / 1e6 / runs, baseNanos / 1e6 / runs, (double) queryNanos / baseNanos);
  }

  private static long baseline(Map<LineageNode, LineageNode> flat) {
    long hits = 0;
    for (LineageNode n : flat.keySet()) {
      if (flat.get(n) != null) {
        hits++;
      }
    }
    return hits;
  }
}
