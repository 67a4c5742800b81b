package io.ledgerlake.labeling.curation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.label.Label;
import java.util.List;
import org.junit.jupiter.api.Test;

class CuratorTest {
  private final Curator curator = new Curator(CurationPolicy.defaults());

  @Test
  void cleanRecordIsIncluded() {
    List<Label> labels = List.of(
        new Label("c", "harm@lexicon-v1", "harm", "clean", 0),
        new Label("c", "near_dup@x", "near_dup", "canonical", 1),
        new Label("c", "pii@rules-1", "pii", "redacted", 2),
        new Label("c", "quality@gopher-1", "quality", "fail", 0.9));
    CurationDecision d = curator.decide("c", labels);
    assertThat(d.included()).as("low quality is not enforced by default").isTrue();
  }

  @Test
  void everyReasonIsReportedWithEvidence() {
    List<Label> labels = List.of(
        new Label("c", "harm@lexicon-v1", "harm", "flagged", 1.2),
        new Label("c", "harm@lexicon-v1", "harm.violent_threat", "flagged", 1.2),
        new Label("c", "harm@lexicon-v1", "harm.self_harm", "below", 0.5),
        new Label("c", "exact_dup@v", "exact.text", "duplicate", 1),
        new Label("c", "exact_dup@v", "exact.text.canonical_cid", "c0", 1),
        new Label("c", "near_dup@v", "near_dup", "duplicate", 0.85),
        new Label("c", "near_dup@v", "near_dup.canonical_cid", "c1", 0.85),
        new Label("c", "pii@v", "pii", "unredactable", 3),
        new Label("c", "pii@v", "pii.unredactable_reason", "PII_DENSITY", 1),
        new Label("c", "quality@v", "quality", "fail", 0.5),
        new Label("c", "quality@v", "quality.word_count", "fail", 3),
        new Label("other", "harm@v", "harm", "flagged", 9));
    CurationDecision d = new Curator(CurationPolicy.defaults().withLowQuality(true)).decide("c", labels);
    assertThat(d.included()).isFalse();
    assertThat(d.exclusions()).extracting(Exclusion::reason).containsExactly(ExclusionReason.HARMFUL,
        ExclusionReason.EXACT_DUPLICATE, ExclusionReason.NEAR_DUPLICATE, ExclusionReason.UNREDACTABLE_PII,
        ExclusionReason.LOW_QUALITY);
    assertThat(d.exclusions()).extracting(Exclusion::detail).containsExactly("categories=violent_threat",
        "canonical=c0", "canonical=c1 jaccard=0.850", "reasons=PII_DENSITY", "failed=word_count");
    assertThat(d.exclusions().get(0).labelerId()).isEqualTo("harm@lexicon-v1");
  }

  @Test
  void policyDecidesWhichReasonsExclude() {
    List<Label> labels = List.of(new Label("c", "near_dup@v", "near_dup", "duplicate", 0.9));
    assertThat(curator.decide("c", labels).included()).isFalse();
    Curator none = new Curator(new CurationPolicy(java.util.Set.of()));
    assertThat(none.decide("c", labels).included()).isTrue();
    assertThat(none.policy().withLowQuality(true).enforced()).containsExactly(ExclusionReason.LOW_QUALITY);
  }
}
