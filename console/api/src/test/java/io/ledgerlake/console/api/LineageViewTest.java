package io.ledgerlake.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.lakehouse.lineage.LineageHop;
import io.ledgerlake.lakehouse.lineage.LineageNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LineageViewTest {
  static final LineageNode ROOT = new LineageNode("dataset_version", "ds-a-v1");

  @Test
  void hiddenNodesLeaveWithTheirEdgesAndAreCounted() {
    LineageNode open = new LineageNode("submission", "bafyopen");
    LineageNode secret = new LineageNode("submission", "bafysecret");
    LineageNode asset = new LineageNode("asset_version", "1@1");
    Map<LineageNode, Integer> depths = new LinkedHashMap<>(Map.of(ROOT, 0, open, 1, secret, 1, asset, 1));
    List<LineageHop> hops = List.of(new LineageHop(open, ROOT, "contains", 1, "lineage.edges"),
        new LineageHop(secret, ROOT, "contains", 1, "lineage.edges"),
        new LineageHop(ROOT, asset, "registered_as", 1, "lineage.edges"));
    var json = LineageView.of(ROOT, depths, hops, Set.of(secret), 100, false).toJson();
    assertThat(json.path("hidden").asInt()).isEqualTo(1);
    assertThat(json.path("nodes").toString()).contains("bafyopen").doesNotContain("bafysecret");
    assertThat(json.path("edges")).hasSize(2);
    assertThat(json.path("edges").toString()).doesNotContain("bafysecret");
    assertThat(json.path("truncated").asBoolean()).isFalse();
  }

  @Test
  void theLimitKeepsTheNearestNodesAndSaysSo() {
    Map<LineageNode, Integer> depths = new LinkedHashMap<>();
    depths.put(ROOT, 0);
    List<LineageHop> hops = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      LineageNode n = new LineageNode("record", "r" + i);
      depths.put(n, 1 + i % 3);
      hops.add(new LineageHop(n, ROOT, "contains", 1 + i % 3, "lineage.edges"));
    }
    var json = LineageView.of(ROOT, depths, hops, Set.of(), 10, false).toJson();
    assertThat(json.path("nodes")).hasSize(10);
    assertThat(json.path("truncated").asBoolean()).isTrue();
    json.path("nodes").forEach(n -> assertThat(n.path("depth").asInt()).isLessThanOrEqualTo(1));
    json.path("edges").forEach(e -> assertThat(json.path("nodes").toString()).contains(e.path("from").asText()));
  }
}
