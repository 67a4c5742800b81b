package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

import java.util.List;

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

  /** Distinct nodes reached, start excluded, in traversal order. */
  public List<LineageNode> nodes() {
    return hops.stream().map(h -> upstream ? h.source() : h.target()).distinct().toList();
  }
}
