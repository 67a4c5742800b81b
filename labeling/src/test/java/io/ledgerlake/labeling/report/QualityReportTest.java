package io.ledgerlake.labeling.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.consensus.AnnotatorQuality;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.labeling.consensus.DawidSkene;
import io.ledgerlake.labeling.curation.CurationDecision;
import io.ledgerlake.labeling.curation.Exclusion;
import io.ledgerlake.labeling.curation.ExclusionReason;
import io.ledgerlake.labeling.label.Label;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityReportTest {
  private static Annotation ann(String id, String cid, String who, String value, Annotation.Status status) {
    return new Annotation(id, "ds", cid, who, List.of(value), 1000, Instant.EPOCH, status);
  }

  @Test
  void datasetConsensusSkipsRejectedAnswersAndScoresAnnotators() {
    List<Annotation> anns = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      anns.add(ann("a" + i, "r" + i, "good1", "pos", Annotation.Status.SUBMITTED));
      anns.add(ann("b" + i, "r" + i, "good2", "pos", Annotation.Status.SUBMITTED));
      anns.add(ann("c" + i, "r" + i, "bad", "neg", Annotation.Status.SUBMITTED));
    }
    anns.add(ann("x", "r0", "rejected", "neg", Annotation.Status.REJECTED));
    DatasetConsensus dc = DatasetConsensus.compute(anns, Map.of("r0", List.of("pos")),
        DatasetConsensus.Method.MAJORITY_VOTE, new DawidSkene());
    assertThat(dc.votes()).isEqualTo(18);
    assertThat(dc.consensus()).hasSize(6).allSatisfy((cid, c) -> assertThat(c.label()).isEqualTo("pos"));
    assertThat(dc.vsConsensus().get("bad").accuracy()).isZero();
    assertThat(dc.vsGold().get("good1").compared()).isEqualTo(1);
    assertThat(dc.vsConsensus()).doesNotContainKey("rejected");
    assertThat(dc.krippendorffAlpha()).isLessThan(0.5);
    assertThat(DatasetConsensus.compute(anns, Map.of(), DatasetConsensus.Method.DAWID_SKENE, new DawidSkene())
        .consensus().get("r3").method()).isEqualTo("dawid-skene");
    DatasetConsensus none = DatasetConsensus.compute(List.of(), Map.of(), DatasetConsensus.Method.DAWID_SKENE,
        new DawidSkene());
    assertThat(none.krippendorffAlpha()).isNaN();
    assertThat(QualityReport.build(List.of(), List.of(), none, 2, 5).render())
        .contains("agreement (Krippendorff's alpha, nominal): n/a").doesNotContain("NaN");
  }

  @Test
  void reportCountsLabelsExclusionsAndRanksAnnotators() {
    List<Label> labels = List.of(
        new Label("r1", "lang@v", "lang", "eng", 0.9), new Label("r2", "lang@v", "lang", "eng", 0.8),
        new Label("r3", "lang@v", "lang", "deu", 0.9), new Label("r1", "quality@v", "quality.word_count", "fail", 3),
        new Label("r2", "near_dup@v", "near_dup", "duplicate", 0.9));
    List<CurationDecision> decisions = List.of(new CurationDecision("r1", List.of()),
        new CurationDecision("r2", List.of(new Exclusion("r2", ExclusionReason.NEAR_DUPLICATE, "near_dup@v", "x"))),
        new CurationDecision("r3", List.of(new Exclusion("r3", ExclusionReason.HARMFUL, "harm@v", "y"),
            new Exclusion("r3", ExclusionReason.UNREDACTABLE_PII, "pii@v", "z"))));
    DatasetConsensus dc = new DatasetConsensus(Map.of(), Map.of(
        "a", new AnnotatorQuality.Accuracy("a", 10, 9), "b", new AnnotatorQuality.Accuracy("b", 10, 5),
        "c", new AnnotatorQuality.Accuracy("c", 20, 18), "d", new AnnotatorQuality.Accuracy("d", 1, 0)),
        Map.of(), 0.61, 41);
    QualityReport r = QualityReport.build(labels, decisions, dc, 2, 5);
    assertThat(r.records()).isEqualTo(3);
    assertThat(r.included()).isEqualTo(1);
    assertThat(r.labelDistribution()).containsEntry("lang", Map.of("eng", 2L, "deu", 1L))
        .containsEntry("near_dup", Map.of("duplicate", 1L)).doesNotContainKey("quality.word_count");
    assertThat(r.exclusionsByReason()).containsEntry(ExclusionReason.NEAR_DUPLICATE, 1L)
        .containsEntry(ExclusionReason.HARMFUL, 1L).hasSize(3);
    assertThat(r.topAnnotators()).extracting(AnnotatorQuality.Accuracy::workerId).containsExactly("c", "a");
    assertThat(r.bottomAnnotators()).extracting(AnnotatorQuality.Accuracy::workerId).containsExactly("b", "a");
    assertThat(r.render()).contains("in curated view: 1").contains("NEAR_DUPLICATE").contains("0.610")
        .doesNotContain(" d ");
  }
}
