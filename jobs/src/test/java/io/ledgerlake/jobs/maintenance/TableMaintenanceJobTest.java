package io.ledgerlake.jobs.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction and snapshot expiry on a real embedded catalog: same rows, fewer files, old snapshots gone. */
class TableMaintenanceJobTest {
  @TempDir Path dir;
  Lakehouse lakehouse;

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  void append(String labeler, int rows, int batch) {
    Table t = lakehouse.table(TableModel.LABEL_LABELS);
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      out.add(Rows.of(t.schema(), Map.of("record_cid", labeler + "-" + batch + "-" + i, "dataset_id", "ds1",
          "labeler", labeler, "labeler_version", "1", "label_key", labeler, "value", "v" + i,
          "labeled_at", Instant.parse("2026-06-01T00:00:00Z").atOffset(ZoneOffset.UTC))));
    }
    TableAppender.append(t, out);
  }

  Set<String> rows() throws Exception {
    Set<String> out = new TreeSet<>();
    try (CloseableIterable<Record> rs = IcebergGenerics.read(lakehouse.table(TableModel.LABEL_LABELS)).build()) {
      for (Record r : rs) {
        out.add(r.getField("record_cid") + "|" + r.getField("labeler") + "|" + r.getField("value") + "|"
            + r.getField("labeled_at"));
      }
    }
    return out;
  }

  /** Data files per labeler (the identity partition). */
  Map<String, Integer> filesByLabeler() throws Exception {
    Table t = lakehouse.table(TableModel.LABEL_LABELS);
    t.refresh();
    Map<String, Integer> out = new HashMap<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        out.merge(task.file().partition().get(0, String.class), 1, Integer::sum);
      }
    }
    return out;
  }

  @Test
  void smallFilesOfAPartitionAreRewrittenAndOldSnapshotsExpired() throws Exception {
    for (int i = 0; i < 6; i++) {
      append("curation", 50, i);
    }
    append("lang", 10, 0);
    append("lang", 10, 1);
    Set<String> before = rows();
    assertThat(filesByLabeler()).containsEntry("curation", 6).containsEntry("lang", 2);
    Table t = lakehouse.table(TableModel.LABEL_LABELS);
    int snapshotsBefore = count(t.snapshots());
    assertThat(snapshotsBefore).isEqualTo(8);

    // A week and a day later: every snapshot is older than the expiry age; the newest two are kept.
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(8)), ZoneOffset.UTC);
    StringWriter progress = new StringWriter();
    TableMaintenanceJob.Result r = new JobRunner(lakehouse, new PrintWriter(progress, true), later).run(
        new TableMaintenanceJob(), new TableMaintenanceJob.Params(List.of("label.labels"), true, 5, 64L << 20,
            Duration.ofDays(7), 2));

    assertThat(rows()).isEqualTo(before);
    assertThat(filesByLabeler()).containsEntry("curation", 1).containsEntry("lang", 2); // 2 < min-input-files
    TableMaintenanceJob.TableOutcome o = r.tables().get(0);
    assertThat(o.filesRewritten()).isEqualTo(6);
    assertThat(o.filesWritten()).isEqualTo(1);
    t.refresh();
    assertThat(count(t.snapshots())).isEqualTo(2);
    assertThat(o.snapshotsExpired()).isEqualTo(snapshotsBefore + 1 - 2);
    assertThat(t.currentSnapshot().operation()).isEqualTo("replace");
    assertThat(progress.toString()).contains("label.labels: 6 small file(s) rewritten into 1, 7 snapshot(s) expired");

    // Again: nothing left to do.
    TableMaintenanceJob.Result again = new JobRunner(lakehouse, new PrintWriter(progress, true), later).run(
        new TableMaintenanceJob(), new TableMaintenanceJob.Params(List.of("label.labels"), true, 5, 64L << 20,
            Duration.ofDays(7), 2));
    assertThat(again.tables().get(0).filesRewritten()).isZero();
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void badParametersAreClearErrors() {
    assertThatThrownBy(() -> TableMaintenanceJob.Params.of(List.of()))
        .hasMessage("table-maintenance needs at least one table");
    assertThatThrownBy(() -> TableMaintenanceJob.Params.of(List.of("labels")))
        .hasMessage("bad table name 'labels': expected namespace.table, e.g. label.labels");
    assertThatThrownBy(() -> new JobRunner(lakehouse, new PrintWriter(new StringWriter())).run(
        new TableMaintenanceJob(), TableMaintenanceJob.Params.of(List.of("label.nope"))))
        .hasMessageContaining("table label.nope does not exist");
  }

  private static int count(Iterable<?> it) {
    int n = 0;
    for (Object ignored : it) {
      n++;
    }
    return n;
  }
}
