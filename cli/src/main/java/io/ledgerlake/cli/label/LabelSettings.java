package io.ledgerlake.cli.label;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.stage.LabelingStageOptions;
import io.ledgerlake.common.config.Settings;

/** Labeling options from the layered settings (flag > env > properties > default). */
public final class LabelSettings {
  private LabelSettings() {}

  public static LabelingOptions options(Settings settings) {
    return LabelingOptions.from(settings);
  }

  /** The streaming labeling job under {@code ledgerlake up}; null when {@code interval-ms} is 0 (off). */
  public static io.ledgerlake.platform.LedgerLakePlatform.Labeling platformLabeling(Settings settings) {
    long ms = Long.parseLong(settings.get(LabelingStageOptions.INTERVAL_MS,
        Long.toString(LabelingStageOptions.INTERVAL_MS_DEFAULT)).trim());
    return ms <= 0 ? null : new io.ledgerlake.platform.LedgerLakePlatform.Labeling(
        java.time.Duration.ofMillis(ms), options(settings), stageOptions(settings),
        io.ledgerlake.labeling.flink.LabelingJobOptions.from(settings));
  }

  public static LabelingStageOptions stageOptions(Settings settings) {
    return LabelingStageOptions.from(settings);
  }
}
