package io.ledgerlake.cli.label;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.stage.LabelingStageOptions;
import io.ledgerlake.lakehouse.config.Settings;
import java.util.HashMap;
import java.util.Map;

/** Labeling options from the layered settings (flag > env > properties > default). */
final class LabelSettings {
  private LabelSettings() {}

  static Map<String, String> labelingKeys(Settings settings) {
    Map<String, String> full = new HashMap<>();
    settings.withPrefix(LabelingOptions.PREFIX).forEach((k, v) -> full.put(LabelingOptions.PREFIX + k, v));
    return full;
  }

  static LabelingOptions options(Settings settings) {
    return LabelingOptions.fromMap(labelingKeys(settings));
  }

  static LabelingStageOptions stageOptions(Settings settings) {
    return LabelingStageOptions.fromMap(labelingKeys(settings));
  }
}
