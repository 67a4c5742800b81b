package io.ledgerlake.labeling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.dedup.LshParams;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelingOptionsTest {
  @Test
  void defaults() {
    LabelingOptions o = LabelingOptions.defaults();
    assertThat(o.lshParams()).isEqualTo(LshParams.defaults());
    assertThat(o.lshParams().numHashes()).isEqualTo(120);
    assertThat(o.exactMaxEntries()).isEqualTo(1_000_000);
    assertThat(o.piiDefaultRegion()).isEqualTo("US");
    assertThat(o.piiMaxRedactedFraction()).isEqualTo(0.3);
    assertThat(o.langMinLetters()).isEqualTo(10);
    assertThat(o.langMaxChars()).isEqualTo(500);
    assertThat(o.curationExcludeLowQuality()).isFalse();
    assertThat(o.annotationOverlap()).isEqualTo(3);
    assertThat(o.annotationLease()).isEqualTo(java.time.Duration.ofMinutes(30));
    assertThat(o.dawidSkeneMaxIterations()).isEqualTo(100);
    assertThat(o.dawidSkeneTolerance()).isEqualTo(1e-6);
    assertThat(o.providerPoolBps() + o.annotatorPoolBps() + o.reviewerPoolBps()).isEqualTo(10_000);
  }

  @Test
  void everyKeyMapsToItsGetter() {
    LabelingOptions o = LabelingOptions.fromMap(Map.ofEntries(
        Map.entry("ledgerlake.labeling.near-dup.bands", "16"),
        Map.entry("ledgerlake.labeling.near-dup.rows", "8"),
        Map.entry("ledgerlake.labeling.near-dup.threshold", "0.8"),
        Map.entry("ledgerlake.labeling.near-dup.max-entries", "42"),
        Map.entry("ledgerlake.labeling.near-dup.shingle-words", "4"),
        Map.entry("ledgerlake.labeling.near-dup.seed", "0x10"),
        Map.entry("ledgerlake.labeling.exact-dup.max-entries", "7"),
        Map.entry("ledgerlake.labeling.pii.default-region", "DE"),
        Map.entry("ledgerlake.labeling.pii.max-redacted-fraction", "0.5"),
        Map.entry("ledgerlake.labeling.lang.min-letters", "3"),
        Map.entry("ledgerlake.labeling.lang.max-chars", "99"),
        Map.entry("ledgerlake.labeling.curation.exclude-low-quality", "true"),
        Map.entry("ledgerlake.labeling.annotation.overlap", "5"),
        Map.entry("ledgerlake.labeling.annotation.lease", "PT2M"),
        Map.entry("ledgerlake.labeling.consensus.dawid-skene.max-iterations", "9"),
        Map.entry("ledgerlake.labeling.consensus.dawid-skene.tolerance", "0.01"),
        Map.entry("ledgerlake.labeling.weights.provider-pool-bps", "7000"),
        Map.entry("ledgerlake.labeling.weights.annotator-pool-bps", "2000"),
        Map.entry("ledgerlake.labeling.weights.reviewer-pool-bps", "1000"),
        Map.entry("ledgerlake.other.key", "ignored")));
    assertThat(o.lshParams()).isEqualTo(new LshParams(16, 8, 0.8, 42, 4, 16L));
    assertThat(o.exactMaxEntries()).isEqualTo(7);
    assertThat(o.piiDefaultRegion()).isEqualTo("DE");
    assertThat(o.piiMaxRedactedFraction()).isEqualTo(0.5);
    assertThat(o.langMinLetters()).isEqualTo(3);
    assertThat(o.langMaxChars()).isEqualTo(99);
    assertThat(o.curationExcludeLowQuality()).isTrue();
    assertThat(o.annotationOverlap()).isEqualTo(5);
    assertThat(o.annotationLease()).isEqualTo(java.time.Duration.ofMinutes(2));
    assertThat(o.dawidSkeneMaxIterations()).isEqualTo(9);
    assertThat(o.dawidSkeneTolerance()).isEqualTo(0.01);
    assertThat(o.providerPoolBps()).isEqualTo(7000);
    assertThat(o.annotatorPoolBps()).isEqualTo(2000);
    assertThat(o.reviewerPoolBps()).isEqualTo(1000);
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> LabelingOptions.fromMap(Map.of(LabelingOptions.LSH_BANDS, "many")).lshParams())
        .isInstanceOf(InvalidLabelingInputException.class)
        .hasMessageContaining("ledgerlake.labeling.near-dup.bands").hasMessageContaining("'many'");
    assertThatThrownBy(() ->
        LabelingOptions.fromMap(Map.of(LabelingOptions.CURATION_EXCLUDE_LOW_QUALITY, "yes")).curationExcludeLowQuality())
        .hasMessageContaining("true or false");
    assertThat(new InvalidLabelingInputException("x").category()).isEqualTo(ErrorCategory.USER_ERROR);
    assertThat(new StateFormatException("x").category()).isEqualTo(ErrorCategory.INTERNAL);
  }

  @Test
  void environmentVariablesReachEveryKeyThroughSettings() {
    // Regression: the CLI once passed labeling keys through a prefix map that lost the dashes of environment
    // variable names, so LEDGERLAKE_LABELING_NEAR_DUP_BANDS was silently ignored.
    io.ledgerlake.common.config.Settings settings = io.ledgerlake.common.config.Settings.layered(
        java.util.Map.of(LabelingOptions.ANNOTATION_OVERLAP, "5"),
        java.util.Map.of("LEDGERLAKE_LABELING_NEAR_DUP_BANDS", "7", "LEDGERLAKE_LABELING_ANNOTATION_OVERLAP", "4"),
        java.util.Map.of(LabelingOptions.LSH_ROWS, "3"));
    LabelingOptions o = LabelingOptions.from(settings);
    assertThat(o.lshParams().bands()).isEqualTo(7);
    assertThat(o.lshParams().rows()).isEqualTo(3);
    assertThat(o.annotationOverlap()).as("flag wins over environment").isEqualTo(5);
  }
}
