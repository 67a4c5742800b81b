package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

/**
 * One edge reached by a traversal, always in data-flow direction ({@code source} feeds {@code target}).
 *
 * @param depth hops from the start node to the far end of this edge (1 for the start node's own edges)
 * @param origin {@code lineage.edges} or {@code chain} (an on-chain parent link)
 */
public record LineageHop(LineageNode source, LineageNode target, String relation, int depth, String origin) {
  public LineageHop {
    requireNonNull(source, "source");
    requireNonNull(target, "target");
    requireNonNull(relation, "relation");
    requireNonNull(origin, "origin");
  }
}
