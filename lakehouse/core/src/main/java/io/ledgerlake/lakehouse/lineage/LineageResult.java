package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an upstream or downstream traversal found.
 *
 * @param truncated true if the depth limit cut the traversal short: some node at the limit has further edges
 * @param alreadyReached edges whose far node was already reached (a cycle or a diamond): reported, not expanded
 *     again, which is the cycle guard
 * @param edgesSnapshotId the lineage.edges snapshot read (null when the table was empty at that point)
 */
public record LineageResult(
    LineageNode start, boolean upstream, int maxDepth, List<LineageHop> hops, boolean truncated, int alreadyReached,
    Long edgesSnapshotId) {
  public LineageResult {
    requireNonNull(start, "start");
    hops = List.copyOf(hops);
  }

  /**
   * Each node reached with its depth, the fewest hops from the start (what lineage.closure stores as {@code
   * depth}), in traversal order; the start is included only when a cycle leads back to it within the limit.
   */
  public Map<LineageNode, Integer> depths() {
    Map<LineageNode, Integer> out = new LinkedHashMap<>();
    for (LineageHop h : hops) {
      out.merge(upstream ? h.source() : h.target(), h.depth(), Math::min);
    }
    return out;
  }

  /** Distinct nodes reached, start excluded, in traversal order. */
  public List<LineageNode> nodes() {
    return hops.stream().map(h -> upstream ? h.source() : h.target()).distinct().toList();
  }
}
