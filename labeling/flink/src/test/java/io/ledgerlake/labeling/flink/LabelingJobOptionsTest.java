package io.ledgerlake.labeling.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelingJobOptionsTest {
  @Test
  void defaults() {
    LabelingJobOptions d = LabelingJobOptions.defaults();
    assertThat(d.checkpointInterval()).isEqualTo(LabelingJobOptions.CHECKPOINT_INTERVAL_DEFAULT).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.monitorInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.maxPlanningSnapshots()).isEqualTo(8);
    assertThat(d.restartAttempts()).isEqualTo(5);
    assertThat(d.restartDelay()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void everyKeyMaps() {
    LabelingJobOptions o = LabelingJobOptions.from(Map.of(
        "ledgerlake.labeling.flink.checkpoint-interval", "PT2S",
        "ledgerlake.labeling.flink.monitor-interval", "250",
        "ledgerlake.labeling.flink.max-planning-snapshots", "3",
        "ledgerlake.labeling.flink.restart-attempts", "0",
        "ledgerlake.labeling.flink.restart-delay", "PT1S"));
    assertThat(o).isEqualTo(new LabelingJobOptions(Duration.ofSeconds(2), Duration.ofMillis(250), 3, 0,
        Duration.ofSeconds(1)));
    assertThat(LabelingJobOptions.KEYS).hasSize(5).allSatisfy(k -> assertThat(k).startsWith(LabelingJobOptions.PREFIX));
  }

  @Test
  void rejectsBadValuesNamingTheKey() {
    assertThatThrownBy(() -> LabelingJobOptions.from(Map.of(LabelingJobOptions.MAX_PLANNING_SNAPSHOTS, "0")))
        .hasMessageContaining(LabelingJobOptions.MAX_PLANNING_SNAPSHOTS);
    assertThatThrownBy(() -> LabelingJobOptions.from(Map.of(LabelingJobOptions.MONITOR_INTERVAL, "soon")))
        .hasMessageContaining(LabelingJobOptions.MONITOR_INTERVAL);
  }
}
