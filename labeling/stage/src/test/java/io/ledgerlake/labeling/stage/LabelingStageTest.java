package io.ledgerlake.labeling.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Iceberg JdbcCatalog on SQLite: records in, label rows out, exactly once across crashes and reruns. */
class LabelingStageTest {
  static final String TEXT_A = "The committee met on Tuesday to review the budget for the new library wing and agreed"
      + " to publish the minutes next week so that every resident can read the decisions and send comments.";
  static final String TEXT_B = "Rainfall in the northern valleys was twice the seasonal average this spring, which"
      + " filled the reservoirs early and let farmers plant their crops three weeks sooner than usual.";
  static final String TEXT_PII = "Please write to jane.doe@example.org or call +1 415 555 0134 about the order.";

  static LabelingPipeline pipeline;

  @TempDir Path dir;
  Lakehouse lakehouse;

  @BeforeAll
  static void loadPipeline() {
    pipeline = new LabelingPipeline(LabelingOptions.defaults());
  }

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  LabelingStage stage() {
    return new LabelingStage(lakehouse, pipeline, new LabelingStageOptions(2));
  }

  void ingest(String dataset, String... cidAndText) {
    LabelingStageTestRows.ingest(lakehouse.table(TableModel.INGEST_RECORDS), dataset, cidAndText);
  }

  List<Record> labels() {
    return LabelingStageTestRows.labels(lakehouse.table(TableModel.LABEL_LABELS));
  }

  static String value(List<Record> labels, String cid, String key) {
    return labels.stream().filter(r -> r.getField("record_cid").equals(cid) && r.getField("label_key").equals(key))
        .map(r -> (String) r.getField("value")).findFirst().orElse(null);
  }

  static void assertNoDuplicateKeys(List<Record> labels) {
    List<String> keys = labels.stream().map(r -> r.getField("dataset_id") + "|" + r.getField("record_cid") + "|"
        + r.getField("labeler") + "|" + r.getField("label_key")).toList();
    assertThat(keys).doesNotHaveDuplicates();
  }

  @Test
  void labelsNewRecordsOnceAndCarriesDuplicateStateAcrossRuns() throws Exception {
    ingest("ds1", "cidA", TEXT_A, "cidP", TEXT_PII);
    LabelingStage.Summary first = stage().runOnce();
    List<Record> afterFirst = labels();
    assertThat(first.records()).isEqualTo(2);
    assertThat(afterFirst).hasSize((int) first.labelRows());
    assertThat(value(afterFirst, "cidA", "lang")).isEqualTo("eng");
    assertThat(value(afterFirst, "cidA", "curation")).isEqualTo("included");
    assertThat(value(afterFirst, "cidP", "pii")).isEqualTo("redacted");
    assertThat(value(afterFirst, "cidP", LabelRows.REDACTED_TEXT_KEY)).contains("[EMAIL]").doesNotContain("jane.doe");
    assertThat(afterFirst).allSatisfy(r -> assertThat(r.getField("dataset_id")).isEqualTo("ds1"));

    // Nothing new: no commit, no rows.
    assertThat(stage().runOnce().commits()).isZero();
    assertThat(labels()).hasSize(afterFirst.size());

    // Same text in another dataset, in a later run: found only if the duplicate index came back from the state file.
    ingest("ds2", "cidA2", TEXT_A, "cidB", TEXT_B);
    LabelingStage.Summary second = new LabelingStage(lakehouse, pipeline, LabelingStageOptions.defaults()).runOnce();
    List<Record> afterSecond = labels();
    assertThat(second.records()).isEqualTo(2);
    assertThat(value(afterSecond, "cidA2", "exact.text")).isEqualTo("duplicate");
    assertThat(value(afterSecond, "cidA2", "curation")).isEqualTo("excluded");
    assertThat(value(afterSecond, "cidA2", LabelRows.EXCLUSION_KEY_PREFIX + "EXACT_DUPLICATE")).contains("cidA");
    assertThat(value(afterSecond, "cidB", "curation")).isEqualTo("included");
    assertNoDuplicateKeys(afterSecond);
  }

  @Test
  void crashBeforeCommitThenRerunGivesTheRowsOfAnUninterruptedRunOnce() throws Exception {
    ingest("ds1", "c1", TEXT_A);
    ingest("ds1", "c2", TEXT_B, "c3", TEXT_PII);
    ingest("ds1", "c4", TEXT_A);
    stage().runOnce();
    int before = labels().size();
    ingest("ds1", "c5", TEXT_B);
    ingest("ds1", "c6", TEXT_PII + " Thanks.");

    LabelingStage crashing = stage().beforeCommit(() -> {
      throw new IllegalStateException("simulated crash before commit");
    });
    assertThatThrownBy(crashing::runOnce).hasMessageContaining("simulated crash");
    assertThat(labels()).hasSize(before);

    LabelingStage.Summary rerun = stage().runOnce();
    List<Record> after = labels();
    assertThat(rerun.records()).isEqualTo(2);
    assertNoDuplicateKeys(after);
    assertThat(value(after, "c4", "exact.text")).isEqualTo("duplicate");
    assertThat(value(after, "c5", "exact.text")).isEqualTo("duplicate");
    // Only committed state files remain (two commits of the first run, one of the rerun): the crashed run's is gone.
    Table t = lakehouse.table(TableModel.LABEL_LABELS);
    Path stateDir = Path.of(java.net.URI.create(t.location() + "/" + LabelingStage.STATE_DIR));
    try (Stream<Path> files = Files.list(stateDir)) {
      // Hadoop's local file system adds hidden .crc companions: not state files.
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
      assertThat(names).hasSize(3);
      assertThat(names).contains(Path.of(java.net.URI.create(LabelingStage.cursor(t).stateFile())).getFileName()
          .toString());
    }

    // The same input labeled in one go elsewhere gives the same rows (ignoring the labeling time).
    Path other = dir.resolve("other");
    try (Lakehouse fresh = Lakehouse.open(LakehouseOptions.embedded(other))) {
      fresh.init();
      Lakehouse saved = lakehouse;
      lakehouse = fresh;
      try {
        ingest("ds1", "c1", TEXT_A);
        ingest("ds1", "c2", TEXT_B, "c3", TEXT_PII);
        ingest("ds1", "c4", TEXT_A);
        ingest("ds1", "c5", TEXT_B);
        ingest("ds1", "c6", TEXT_PII + " Thanks.");
        new LabelingStage(fresh, pipeline, LabelingStageOptions.defaults()).runOnce();
        assertThat(comparable(labels())).containsExactlyInAnyOrderElementsOf(comparable(after));
      } finally {
        lakehouse = saved;
      }
    }
  }

  @Test
  void aRacingRunFailsInsteadOfAppendingTwice() throws Exception {
    ingest("ds1", "c1", TEXT_A, "c2", TEXT_B);
    LabelingStage racer = stage().beforeCommit(() -> stage().runOnceUnlocked());
    assertThatThrownBy(racer::runOnceUnlocked).isInstanceOf(LakehouseException.class)
        .hasMessageContaining("another writer");
    List<Record> after = labels();
    assertNoDuplicateKeys(after);
    assertThat(after.stream().filter(r -> r.getField("label_key").equals("curation"))).hasSize(2);
  }

  @Test
  void refusesToRunWhileAnotherWriterHoldsTheLock() throws Exception {
    ingest("ds1", "c1", TEXT_A);
    try (LabelWriterLock held = LabelWriterLock.acquire(lakehouse.options().dataDir(), "the streaming labeling job")) {
      assertThatThrownBy(() -> stage().runOnce()).isInstanceOf(LabelingStageException.class)
          .hasMessageContaining("being written by the streaming labeling job")
          .extracting(e -> ((LabelingStageException) e).category()).isEqualTo(io.ledgerlake.common.ErrorCategory.USER_ERROR);
      assertThat(labels()).isEmpty();
    }
    assertThat(stage().runOnce().records()).isEqualTo(1);
  }

  static List<String> comparable(List<Record> labels) {
    return labels.stream().map(r -> r.getField("dataset_id") + "|" + r.getField("record_cid") + "|"
        + r.getField("labeler") + "@" + r.getField("labeler_version") + "|" + r.getField("label_key") + "|"
        + r.getField("value") + "|" + r.getField("score")).toList();
  }
}
