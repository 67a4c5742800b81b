package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * One edge of {@code lineage.edges}, the table's row format in one place. CIDs are optional (a dataset version's is
 * its manifest). Immutable.
 */
public record LineageEdge(NodeKind sourceKind, String sourceId, String sourceCid, NodeKind targetKind, String targetId,
    String targetCid, String relation) {
  public LineageEdge {
    requireNonNull(sourceKind, "sourceKind");
    requireNonNull(sourceId, "sourceId");
    requireNonNull(targetKind, "targetKind");
    requireNonNull(targetId, "targetId");
    requireNonNull(relation, "relation");
  }

  /**
   * Appends {@code edges} in one commit, each with {@code runId} and {@code recordedAt}.
   *
   * @return the new snapshot id of lineage.edges, or -1 when there was nothing to write
   */
  public static long append(Lakehouse lakehouse, List<LineageEdge> edges, String runId, OffsetDateTime recordedAt) {
    if (edges.isEmpty()) {
      return -1;
    }
    Table table = lakehouse.table(TableModel.LINEAGE_EDGES);
    List<Record> rows = new ArrayList<>(edges.size());
    for (LineageEdge e : edges) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("source_kind", e.sourceKind().id());
      v.put("source_id", e.sourceId());
      v.put("source_cid", e.sourceCid());
      v.put("target_kind", e.targetKind().id());
      v.put("target_id", e.targetId());
      v.put("target_cid", e.targetCid());
      v.put("relation", e.relation());
      v.put("run_id", runId);
      v.put("recorded_at", recordedAt);
      rows.add(Rows.of(table.schema(), v));
    }
    return TableAppender.append(table, rows);
  }
}
