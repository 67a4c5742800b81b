package io.ledgerlake.jobs.schedule;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Counts of curated records per dataset, for curated-records triggers: {@code label.labels} rows of labeler
 * {@code curation}, key {@code curation}, value {@code included} (the labeling stage writes one per record, see
 * docs/labeling.md). Labels are only appended, so after the first full count a new snapshot adds the rows its appends
 * brought ({@code appendsBetween}, which leaves out compactions); when the last snapshot seen is no longer an ancestor
 * (expired or rolled back) the table is counted again. Used by the scheduler's single tick thread only.
 */
final class CuratedCounts {
  private static final Expression INCLUDED = Expressions.and(Expressions.equal("labeler", "curation"),
      Expressions.equal("label_key", "curation"), Expressions.equal("value", "included"));

  private final Lakehouse lakehouse;
  private long snapshotSeen = -1;
  private Map<String, Long> counts = Map.of();

  CuratedCounts(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** Curated records per dataset now. */
  Map<String, Long> current() {
    Table table = lakehouse.table(TableModel.LABEL_LABELS);
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      snapshotSeen = -1;
      counts = Map.of();
      return counts;
    }
    if (current.snapshotId() == snapshotSeen) {
      return counts;
    }
    Map<String, Long> next;
    if (snapshotSeen != -1 && SnapshotUtil.isAncestorOf(table, current.snapshotId(), snapshotSeen)) {
      next = new HashMap<>(counts);
      add(IcebergGenerics.read(table).appendsBetween(snapshotSeen, current.snapshotId()), INCLUDED, next);
    } else {
      next = new HashMap<>();
      add(IcebergGenerics.read(table).useSnapshot(current.snapshotId()), INCLUDED, next);
    }
    snapshotSeen = current.snapshotId();
    counts = Map.copyOf(next);
    return counts;
  }

  /** Records curated before {@code ms} (labeled_at), of {@code dataset} or (null) all: a new schedule's baseline. */
  long before(long ms, String dataset) {
    Table table = lakehouse.table(TableModel.LABEL_LABELS);
    table.refresh();
    if (table.currentSnapshot() == null) {
      return 0;
    }
    Expression where = Expressions.and(INCLUDED,
        Expressions.lessThan("labeled_at", TimeUnit.MILLISECONDS.toMicros(ms)));
    if (dataset != null) {
      where = Expressions.and(where, Expressions.equal("dataset_id", dataset));
    }
    Map<String, Long> byDataset = new HashMap<>();
    add(IcebergGenerics.read(table).useSnapshot(table.currentSnapshot().snapshotId()), where, byDataset);
    return byDataset.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void add(IcebergGenerics.ScanBuilder scan, Expression where, Map<String, Long> into) {
    // The generic reader prunes files by partition (labeler) and metrics and filters rows by the residual.
    try (CloseableIterable<Record> rows = scan.where(where).select("dataset_id").build()) {
      for (Record r : rows) {
        into.merge((String) r.getField("dataset_id"), 1L, Long::sum);
      }
    } catch (IOException e) {
      throw new ScheduleException(ErrorCategory.EXTERNAL, "cannot count curated records in label.labels: "
          + e.getMessage(), new UncheckedIOException(e));
    }
  }
}
