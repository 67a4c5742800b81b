package io.ledgerlake.labeling.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cursor as both writers leave it. The Flink job's commits are imitated here with the summary keys Iceberg's Flink
 * committer writes (job id, checkpoint id) and the operator's cursor file: what the batch stage reads after the job.
 * The job itself is exercised by labeling/flink's LabelingJobITCase.
 */
class LabelCursorTest {
  @TempDir Path dir;
  Lakehouse lakehouse;
  Table labels;

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
    labels = lakehouse.table(TableModel.LABEL_LABELS);
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  long flinkCommit(String job, long checkpoint) {
    return TableAppender.append(labels, List.of(),
        Map.of(LabelCursor.FLINK_JOB_ID, job, LabelCursor.FLINK_CHECKPOINT_ID, Long.toString(checkpoint)));
  }

  @Test
  void noCommitsNoCursor() {
    assertThat(LabelCursor.read(labels)).isEqualTo(new LabelCursor(null, null, null, LabelCursor.Origin.NONE));
  }

  @Test
  void readsTheNewestOfBatchSummariesAndFlinkCursorFiles() {
    TableAppender.append(labels, List.of(), Map.of(LabelCursor.CURSOR_KEY, "11", LabelCursor.STATE_KEY, "/s/11"));
    labels.refresh();
    assertThat(LabelCursor.read(labels)).extracting(LabelCursor::recordsSnapshot, LabelCursor::stateFile,
        LabelCursor::origin).containsExactly(11L, "/s/11", LabelCursor.Origin.BATCH);

    LabelCursor.writeFlinkCursor(labels, LabelCursor.flinkCursorPath(labels, "job-a", 3), 12, "/s/12");
    long head = flinkCommit("job-a", 3);
    labels.refresh();
    assertThat(LabelCursor.read(labels)).isEqualTo(new LabelCursor(12L, "/s/12", head, LabelCursor.Origin.FLINK));

    // A Flink commit without a cursor file (nothing moved at that checkpoint) defers to its ancestors.
    long newer = flinkCommit("job-a", 4);
    labels.refresh();
    assertThat(LabelCursor.read(labels)).isEqualTo(new LabelCursor(12L, "/s/12", newer, LabelCursor.Origin.FLINK));

    // The batch stage after the job: its own summary keys win again.
    TableAppender.append(labels, List.of(), Map.of(LabelCursor.CURSOR_KEY, "13", LabelCursor.STATE_KEY, "/s/13"));
    labels.refresh();
    assertThat(LabelCursor.read(labels).origin()).isEqualTo(LabelCursor.Origin.BATCH);
    assertThat(LabelCursor.read(labels).recordsSnapshot()).isEqualTo(13L);
  }

  @Test
  void cursorFileRoundTripsPathsWithSpecialCharacters() {
    String state = "file:/tmp/a b/c\\d=e:f#g/state-1.bin";
    LabelCursor.writeFlinkCursor(labels, LabelCursor.flinkCursorPath(labels, "job-b", 9), 5, state);
    flinkCommit("job-b", 9);
    labels.refresh();
    assertThat(LabelCursor.read(labels).stateFile()).isEqualTo(state);
  }

  @Test
  void batchStageContinuesFromAFlinkCursorWithoutRelabeling() throws Exception {
    LabelingPipeline pipeline = new LabelingPipeline(LabelingOptions.defaults());
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    LabelingStageTestRows.ingest(records, "ds1", "c1", LabelingStageTest.TEXT_A);
    records.refresh();
    long first = records.currentSnapshot().snapshotId();
    // What the job leaves after labeling the first snapshot: its state file and cursor file, then its commit.
    var state = pipeline.newState();
    new SnapshotLabeler(pipeline).label(List.of(new IngestedRow("ds1", "c1", "{\"text\":\"" + LabelingStageTest.TEXT_A
        + "\"}")), state, (d, l) -> {});
    String stateFile = LabelingStateFiles.write(labels, state, first);
    LabelCursor.writeFlinkCursor(labels, LabelCursor.flinkCursorPath(labels, "job-c", 1), first, stateFile);
    flinkCommit("job-c", 1);

    LabelingStageTestRows.ingest(records, "ds2", "c2", LabelingStageTest.TEXT_A);
    LabelingStage.Summary s = new LabelingStage(lakehouse, pipeline, LabelingStageOptions.defaults()).runOnce();
    assertThat(s.records()).isEqualTo(1); // only c2
    labels.refresh();
    assertThat(LabelingStageTest.value(LabelingStageTestRows.labels(labels), "c2", "exact.text"))
        .isEqualTo("duplicate"); // the duplicate index came from the job's state file
  }
}
