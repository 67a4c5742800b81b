package io.ledgerlake.labeling.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.curation.CurationDecision;
import io.ledgerlake.labeling.curation.CurationPolicy;
import io.ledgerlake.labeling.curation.Exclusion;
import io.ledgerlake.labeling.curation.ExclusionReason;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

class LabelRowsTest {
  @Test
  void recordTextPrefersTheTextFieldElseAllStringsElseRawInput() {
    assertThat(RecordText.of("{\"id\":\"x\",\"text\":\"hello world\"}")).isEqualTo("hello world");
    assertThat(RecordText.of("{\"a\":\"one\",\"b\":{\"c\":[\"two\",3]},\"text\":7}")).isEqualTo("one\ntwo");
    assertThat(RecordText.of("not json {")).isEqualTo("not json {");
  }

  @Test
  void labelRowRoundTripsAndCurationRowsRebuildTheDecision() {
    Schema schema = TableModel.LABEL_LABELS.schema();
    OffsetDateTime at = OffsetDateTime.of(2026, 11, 22, 0, 0, 0, 0, ZoneOffset.UTC);
    Label label = new Label("cid1", "near_dup@minhash32-5w", "near_dup", "duplicate", 0.83);
    Record row = LabelRows.toRow(schema, "ds1", label, at);
    assertThat(row.getField("labeler")).isEqualTo("near_dup");
    assertThat(row.getField("labeler_version")).isEqualTo("minhash32-5w");
    assertThat(LabelRows.fromRow(row)).isEqualTo(label);

    CurationDecision decision = new CurationDecision("cid1", List.of(
        new Exclusion("cid1", ExclusionReason.NEAR_DUPLICATE, "near_dup@minhash32-5w", "canonical=cid0 jaccard=0.830"),
        new Exclusion("cid1", ExclusionReason.HARMFUL, "harm@lexicon-v1", "categories=violence")));
    String version = LabelRows.curationVersion(CurationPolicy.defaults());
    assertThat(version).isEqualTo("1+exact_duplicate+harmful+near_duplicate+unredactable_pii");
    List<Label> rows = LabelRows.curationLabels(decision, version);
    assertThat(rows).extracting(Label::key, Label::value).containsExactly(
        org.assertj.core.groups.Tuple.tuple("curation", "excluded"),
        org.assertj.core.groups.Tuple.tuple("curation.exclusion.NEAR_DUPLICATE", "canonical=cid0 jaccard=0.830"),
        org.assertj.core.groups.Tuple.tuple("curation.exclusion.HARMFUL", "categories=violence"));
    CurationDecision rebuilt = LabelRows.decisionOf("cid1", rows);
    assertThat(rebuilt.included()).isFalse();
    assertThat(rebuilt.exclusions()).extracting(Exclusion::reason, Exclusion::detail).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ExclusionReason.NEAR_DUPLICATE, "canonical=cid0 jaccard=0.830"),
        org.assertj.core.groups.Tuple.tuple(ExclusionReason.HARMFUL, "categories=violence"));
    assertThat(LabelRows.decisionOf("cid2", LabelRows.curationLabels(new CurationDecision("cid2", List.of()), version))
        .included()).isTrue();
  }
}
