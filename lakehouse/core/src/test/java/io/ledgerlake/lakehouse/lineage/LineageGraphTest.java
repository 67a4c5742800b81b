package io.ledgerlake.lakehouse.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traversals over a real embedded catalog: lineage.edges plus on-chain parents, depth limit, cycles, time travel. */
class LineageGraphTest {
  @TempDir Path dir;

  static Record edge(Table t, String sk, String sid, String tk, String tid, String relation) {
    Map<String, Object> v = new HashMap<>();
    v.put("source_kind", sk);
    v.put("source_id", sid);
    v.put("target_kind", tk);
    v.put("target_id", tid);
    v.put("relation", relation);
    v.put("recorded_at", OffsetDateTime.now(ZoneOffset.UTC));
    return Rows.of(t.schema(), v);
  }

  static Record version(Table t, String asset, int number, String versionId, List<String> parents) {
    Map<String, Object> v = new HashMap<>();
    v.put("asset_id", asset);
    v.put("version", number);
    v.put("version_id", versionId);
    v.put("manifest_cid", "bafy" + versionId);
    v.put("parents", parents);
    v.put("chain_id", 31337L);
    v.put("block_number", 1L);
    v.put("block_hash", "0x01");
    v.put("tx_hash", "0x02");
    v.put("log_index", 0);
    v.put("finality", "pending");
    return Rows.of(t.schema(), v);
  }

  @Test
  void upstreamAndDownstreamFollowEdgesAndChainParentsWithDepthLimitAndCycleGuard() {
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lh.init();
      Table edges = lh.table(TableModel.LINEAGE_EDGES);
      long first = TableAppender.append(edges, List.of(
          edge(edges, "submission", "bafyU1", "dataset_version", "demo-v1", "contains"),
          edge(edges, "submission", "bafyU2", "dataset_version", "demo-v1", "contains"),
          edge(edges, "dataset_version", "demo-v1", "asset_version", "1@1", "registered_as")));
      Table versions = lh.table(TableModel.CHAIN_ASSET_VERSIONS);
      // asset 2 version 1 (global id 5) is derived on chain from asset 1 version 1 (global id 1)
      TableAppender.append(versions, List.of(version(versions, "1", 1, "1", List.of()),
          version(versions, "2", 1, "5", List.of("1@1"))));

      LineageGraph latest = LineageGraph.latest(lh);
      LineageResult up = latest.upstream(new LineageNode("asset_version", "2@5"), 10);
      assertThat(up.nodes()).containsExactly(new LineageNode("asset_version", "1@1"),
          new LineageNode("dataset_version", "demo-v1"), new LineageNode("submission", "bafyU1"),
          new LineageNode("submission", "bafyU2"));
      assertThat(up.hops()).first().satisfies(h -> {
        assertThat(h.origin()).isEqualTo(LineageGraph.ORIGIN_CHAIN);
        assertThat(h.depth()).isEqualTo(1);
      });
      assertThat(up.truncated()).isFalse();

      LineageResult shallow = latest.upstream(new LineageNode("asset_version", "2@5"), 2);
      assertThat(shallow.truncated()).isTrue();
      assertThat(shallow.nodes()).doesNotContain(new LineageNode("submission", "bafyU1"));

      LineageResult down = latest.downstream(new LineageNode("submission", "bafyU1"), 5);
      assertThat(down.nodes()).containsExactly(new LineageNode("dataset_version", "demo-v1"),
          new LineageNode("asset_version", "1@1"), new LineageNode("asset_version", "2@5"));

      // A cycle (bad data) must terminate and be reported.
      TableAppender.append(edges, List.of(edge(edges, "asset_version", "2@5", "submission", "bafyU1", "derived_from")));
      LineageResult cyclic = LineageGraph.latest(lh).downstream(new LineageNode("submission", "bafyU1"), 50);
      assertThat(cyclic.alreadyReached()).isEqualTo(1);
      assertThat(cyclic.truncated()).isFalse();

      // Time travel: as of the first edges snapshot, the cycle edge did not exist.
      LineageResult before = LineageGraph.asOfSnapshot(lh, first).downstream(new LineageNode("submission", "bafyU1"), 50);
      assertThat(before.alreadyReached()).isZero();
      assertThat(before.edgesSnapshotId()).isEqualTo(first);

      assertThatThrownBy(() -> LineageGraph.asOfSnapshot(lh, 42L)).isInstanceOf(LakehouseException.class)
          .hasMessageContaining("no snapshot 42");
      assertThatThrownBy(() -> LineageNode.parse("nokind")).isInstanceOf(LakehouseException.class);
    }
  }
}
