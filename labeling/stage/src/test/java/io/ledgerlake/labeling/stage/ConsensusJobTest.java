package io.ledgerlake.labeling.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.labeling.curation.ExclusionReason;
import io.ledgerlake.labeling.report.QualityReport;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** label.annotations -> consensus in label.consensus, and the quality report, on a real SQLite-backed catalog. */
class ConsensusJobTest {
  @TempDir Path dir;

  static Annotation ann(String id, String cid, String annotator, String value) {
    return new Annotation(id, "ds1", cid, annotator, List.of(value), 1000, Instant.parse("2026-11-22T00:00:00Z"),
        Annotation.Status.SUBMITTED);
  }

  @Test
  void consensusFromStoredAnnotationsAndQualityReport() throws Exception {
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lakehouse.init();
      AnnotationTable annotations = new AnnotationTable(lakehouse);
      List<Annotation> batch = new ArrayList<>();
      String[] truth = {"cat", "dog", "cat", "dog"};
      for (int r = 0; r < truth.length; r++) {
        batch.add(ann("a" + r + "-1", "cid" + r, "0xgood1", truth[r]));
        batch.add(ann("a" + r + "-2", "cid" + r, "0xgood2", truth[r]));
        batch.add(ann("a" + r + "-3", "cid" + r, "0xnoisy", "cat"));
      }
      assertThat(annotations.append(batch)).isEqualTo(12);
      assertThat(annotations.append(batch)).as("replay is idempotent").isZero();
      annotations.review("ds1", "a1-3", "0xreviewer", Annotation.Status.REJECTED,
          OffsetDateTime.of(2026, 11, 22, 1, 0, 0, 0, ZoneOffset.UTC));
      annotations.review("ds1", "a0-1", "0xreviewer", Annotation.Status.ACCEPTED,
          OffsetDateTime.of(2026, 11, 22, 1, 0, 0, 0, ZoneOffset.UTC));
      List<Annotation> stored = annotations.annotations("ds1");
      assertThat(stored).hasSize(12);
      assertThat(AnnotationTable.gold(stored)).containsOnlyKeys("cid0");

      ConsensusJob.Result result = new ConsensusJob(lakehouse, LabelingOptions.defaults()).run("ds1");
      assertThat(result.rows()).isEqualTo(8);
      DatasetConsensus mv = result.byMethod().get(DatasetConsensus.Method.MAJORITY_VOTE);
      assertThat(mv.consensus().get("cid1").label()).isEqualTo("dog");
      assertThat(mv.consensus().get("cid1").confidence()).isCloseTo(1.0, within(1e-9)); // the noisy vote was rejected
      assertThat(mv.consensus().get("cid3").confidence()).isCloseTo(2.0 / 3, within(1e-9));
      assertThat(mv.vsConsensus().get("0xgood1").accuracy()).isCloseTo(1.0, within(1e-9));

      Table consensus = lakehouse.table(TableModel.LABEL_CONSENSUS);
      consensus.refresh();
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> it = IcebergGenerics.read(consensus).build()) {
        it.forEach(r -> rows.add(r.copy()));
      }
      assertThat(rows).hasSize(8).allSatisfy(r -> assertThat(r.getField("run_id")).isEqualTo(result.runId()));
      assertThat(rows.stream().map(r -> (String) r.getField("method")).distinct())
          .containsExactlyInAnyOrder("majority-vote", "dawid-skene");
      assertThat(rows.stream().filter(r -> r.getField("record_cid").equals("cid1")).map(r -> r.getField("value")))
          .containsOnly("dog");

      // Quality report: labels of ingested records (one an exact duplicate) plus the annotations above.
      LabelingStageTest helper = new LabelingStageTest();
      helper.lakehouse = lakehouse;
      helper.ingest("ds1", "cid0", LabelingStageTest.TEXT_A, "cid1", LabelingStageTest.TEXT_B);
      helper.ingest("ds1", "cid2", LabelingStageTest.TEXT_A);
      new LabelingStage(lakehouse, new LabelingPipeline(LabelingOptions.defaults()), LabelingStageOptions.defaults())
          .runOnce();
      QualityReport report = new QualityReports(lakehouse, LabelingOptions.defaults()).build("ds1", 2, 1);
      assertThat(report.records()).isEqualTo(3);
      assertThat(report.included()).isEqualTo(2);
      assertThat(report.exclusionsByReason()).containsEntry(ExclusionReason.EXACT_DUPLICATE, 1L);
      assertThat(report.labelDistribution().get("lang")).containsEntry("eng", 3L);
      assertThat(report.topAnnotators()).isNotEmpty();
      assertThat(report.bottomAnnotators().get(0).workerId()).isEqualTo("0xnoisy");
      assertThat(report.render()).contains("records: 3, in curated view: 2, excluded: 1");
    }
  }
}
