package io.ledgerlake.console.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.lakehouse.lineage.LineageHop;
import io.ledgerlake.lakehouse.lineage.LineageNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lineage graph as the console draws it: nodes (with their distance from the root) and edges in data-flow
 * direction, at most {@code limit} nodes (nearest first), without the nodes the caller may not see.
 */
record LineageView(LineageNode root, List<Map.Entry<LineageNode, Integer>> nodes, List<LineageHop> edges,
    boolean truncated, int hidden) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static LineageView of(LineageNode root, Map<LineageNode, Integer> depths, List<LineageHop> hops,
      Set<LineageNode> invisible, int limit, boolean truncated) {
    List<Map.Entry<LineageNode, Integer>> visible = new ArrayList<>();
    for (var e : depths.entrySet()) {
      if (!invisible.contains(e.getKey())) {
        visible.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    visible.sort(Map.Entry.comparingByValue());
    boolean cut = visible.size() > limit;
    if (cut) {
      visible = new ArrayList<>(visible.subList(0, limit));
    }
    Set<LineageNode> kept = new LinkedHashSet<>();
    visible.forEach(e -> kept.add(e.getKey()));
    Set<String> seen = new LinkedHashSet<>();
    List<LineageHop> edges = new ArrayList<>();
    for (LineageHop h : hops) {
      if (kept.contains(h.source()) && kept.contains(h.target())
          && seen.add(h.source() + ">" + h.target() + ">" + h.relation())) {
        edges.add(h);
      }
    }
    int hidden = (int) depths.keySet().stream().filter(invisible::contains).count();
    return new LineageView(root, visible, edges, truncated || cut, hidden);
  }

  ObjectNode toJson() {
    ObjectNode out = JSON.createObjectNode().put("root", root.toString());
    ArrayNode n = out.putArray("nodes");
    for (var e : nodes) {
      n.addObject().put("id", e.getKey().toString()).put("kind", e.getKey().kind()).put("label", e.getKey().id())
          .put("depth", e.getValue());
    }
    ArrayNode ed = out.putArray("edges");
    for (LineageHop h : edges) {
      ed.addObject().put("from", h.source().toString()).put("to", h.target().toString()).put("kind", h.relation());
    }
    out.put("truncated", truncated).put("hidden", hidden);
    return out;
  }
}
