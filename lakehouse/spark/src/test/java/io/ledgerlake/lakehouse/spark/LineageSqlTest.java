package io.ledgerlake.lakehouse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.lineage.LineageClosure;
import io.ledgerlake.lakehouse.lineage.LineageGraph;
import io.ledgerlake.lakehouse.lineage.LineageNode;
import io.ledgerlake.lakehouse.lineage.LineageResult;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lineage.closure queries of docs/sql.md (section 6), run as written through Spark on a test graph that uses the
 * demo's ids, give exactly {@link LineageGraph}'s Java answers: same nodes, same depths, same truncated flag, with a
 * cycle and depth cuts in play, latest and as of an older version.
 */
class LineageSqlTest {
  static final Path SQL_DOC = Path.of("..", "..", "docs", "sql.md");
  static final OffsetDateTime T = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  @TempDir Path dir;

  record Answer(Map<LineageNode, Integer> depths, boolean truncated) {}

  static Answer ofJava(LineageResult r) {
    return new Answer(r.depths(), r.truncated());
  }

  /** Rows of a walk query: kind, id, depth, ..., truncated (last column). */
  static Answer ofSql(QueryResult q) {
    assertThat(q.columns().subList(0, 3)).containsExactly("kind", "id", "depth");
    assertThat(q.columns()).endsWith("truncated");
    Map<LineageNode, Integer> depths = new HashMap<>();
    boolean truncated = false;
    for (List<Object> row : q.rows()) {
      depths.put(new LineageNode((String) row.get(0), (String) row.get(1)), (Integer) row.get(2));
      truncated |= (Boolean) row.get(row.size() - 1);
    }
    return new Answer(depths, truncated);
  }

  static List<String> closureBlocks() throws IOException {
    Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(SQL_DOC));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      if (m.group(1).contains("lineage.closure") || m.group(1).contains("lineage_")) {
        out.add(m.group(1).strip());
      }
    }
    return out;
  }

  static Record edge(Table t, String sk, String sid, String tk, String tid, String relation) {
    return Rows.of(t.schema(), Map.of("source_kind", sk, "source_id", sid, "target_kind", tk, "target_id", tid,
        "relation", relation, "recorded_at", T));
  }

  static Record version(Table t, String asset, int number, String versionId, List<String> parents) {
    return Rows.of(t.schema(), Map.ofEntries(Map.entry("asset_id", asset), Map.entry("version", number),
        Map.entry("version_id", versionId), Map.entry("manifest_cid", "bafy" + versionId), Map.entry("parents", parents),
        Map.entry("chain_id", 31337L), Map.entry("block_number", 1L), Map.entry("block_hash", "0x01"),
        Map.entry("tx_hash", "0x02"), Map.entry("log_index", 0), Map.entry("finality", "pending")));
  }

  static Record record(Table t, String cid, String contributor, String upload) {
    return Rows.of(t.schema(), Map.of("record_cid", cid, "dataset_id", "ds-demo0001", "submission_id", "s-" + upload,
        "contributor", contributor, "content_cid", upload, "record_json", "{}", "byte_size", 2, "ingested_at", T));
  }

  @Test
  void closureQueriesOfTheSqlGuideEqualTheJavaWalks() throws IOException {
    LakehouseOptions options = LakehouseOptions.embedded(dir);
    try (Lakehouse lh = Lakehouse.open(options)) {
      lh.init();
      Table records = lh.table(TableModel.INGEST_RECORDS);
      TableAppender.append(records, List.of(record(records, "bafyR1", "0xaaa", "bafyU1"),
          record(records, "bafyR2", "0xbbb", "bafyU2")));
      // on chain: asset 2 version 1 (id 5) derives from 1@1, asset 3 version 1 (id 6) from 2@5
      Table versions = lh.table(TableModel.CHAIN_ASSET_VERSIONS);
      TableAppender.append(versions, List.of(version(versions, "1", 1, "1", List.of()),
          version(versions, "2", 1, "5", List.of("1@1")), version(versions, "3", 1, "6", List.of("2@1"))));
      Table edges = lh.table(TableModel.LINEAGE_EDGES);
      long published = TableAppender.append(edges, List.of(
          edge(edges, "submission", "bafyU1", "dataset_version", "ds-demo0001-v1", "contains"),
          edge(edges, "submission", "bafyU2", "dataset_version", "ds-demo0001-v1", "contains"),
          edge(edges, "dataset_version", "ds-demo0001-v1", "asset_version", "1@1", "registered_as")));
      // what publish does: refresh, and tag the closure snapshot like the version
      LineageClosure.tag(lh, LineageClosure.refresh(lh), "ds-demo0001-v1");
      // later: a cycle (bad data) 3@6 -> ds-demo0001-v1 -> 1@1 -> 2@5 -> 3@6, and a second version of the upload
      TableAppender.append(edges, List.of(
          edge(edges, "asset_version", "3@6", "dataset_version", "ds-demo0001-v1", "derived_from"),
          edge(edges, "submission", "bafyU1", "dataset_version", "ds-demo0001-v2", "contains")));
      assertThat(LineageClosure.refresh(lh).rebuilt()).isTrue();

      LineageGraph latest = LineageGraph.latest(lh);
      LineageGraph atPublish = LineageGraph.asOfSnapshot(lh, published);
      SqlRunner sql = new SqlRunner(LakehouseSpark.session(options, SparkOptions.from(Settings.empty())));
      List<String> blocks = closureBlocks();
      assertThat(blocks).hasSize(7);

      // upstream of 1@1, 2 hops: ds-demo0001-v1 (1), the uploads and 3@6 through the cycle (2); 3@6 has inputs
      Answer up = ofSql(sql.run(blocks.get(0), 1000));
      assertThat(up).isEqualTo(ofJava(latest.upstream(new LineageNode("asset_version", "1@1"), 2)));
      assertThat(up.depths()).containsEntry(LineageNode.parse("asset_version:3@6"), 2);
      assertThat(up.truncated()).isTrue();

      // downstream of ds-demo0001-v1, 2 hops: 1@1 (1), 2@5 (2), which has outputs
      Answer down = ofSql(sql.run(blocks.get(1), 1000));
      assertThat(down).isEqualTo(ofJava(latest.downstream(new LineageNode("dataset_version", "ds-demo0001-v1"), 2)));
      assertThat(down.truncated()).isTrue();

      // the same walks through the table functions ledgerlake sql registers
      assertThat(ofSql(sql.run(blocks.get(2), 1000))).isEqualTo(up);
      assertThat(ofSql(sql.run(blocks.get(3), 1000))).isEqualTo(down);

      // as of the publish: the first upload flowed into v1 and what came from it, not yet into v2, and no cycle
      Answer asOf = ofSql(sql.run(blocks.get(4), 1000));
      assertThat(asOf).isEqualTo(ofJava(atPublish.downstream(new LineageNode("submission", "bafyU1"), 10)));
      assertThat(asOf.depths()).containsKey(LineageNode.parse("asset_version:3@6"))
          .doesNotContainKey(LineageNode.parse("dataset_version:ds-demo0001-v2"));
      assertThat(asOf.truncated()).isFalse();
      Answer nowFromU1 = ofJava(latest.downstream(new LineageNode("submission", "bafyU1"), 10));
      assertThat(nowFromU1.depths()).containsKey(LineageNode.parse("dataset_version:ds-demo0001-v2"));

      QueryResult snapshots = sql.run(blocks.get(5), 1000);
      assertThat(snapshots.rows()).hasSize(2);
      assertThat(snapshots.rows().get(0).get(2)).isEqualTo(Long.toString(published));

      // record-level: the demo's first record by CID came with bafyU1; every node downstream of it, every depth
      QueryResult record = sql.run(blocks.get(6), 1000);
      Map<LineageNode, Integer> depths = new HashMap<>();
      for (List<Object> row : record.rows()) {
        assertThat(row.subList(0, 3)).containsExactly("bafyR1", "s-bafyU1", "0xaaa");
        depths.put(new LineageNode((String) row.get(3), (String) row.get(4)), (Integer) row.get(5));
      }
      assertThat(depths).isEqualTo(nowFromU1.depths());
    }
  }
}
