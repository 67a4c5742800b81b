package io.ledgerlake.labeling.stage;

import java.util.Map;

/** Configuration of the lakehouse labeling stage, keys {@code ledgerlake.labeling.stage.*}. */
public record LabelingStageOptions(int maxRowsPerCommit) {
  public static final String PREFIX = "ledgerlake.labeling.stage.";

  /**
   * Records labeled per {@code label.labels} commit. Whole ingestion snapshots are never split (the cursor is a
   * snapshot id), so a commit may hold more when one ingestion snapshot is bigger. Bounds the memory of one run.
   */
  public static final String MAX_ROWS_PER_COMMIT = PREFIX + "max-rows-per-commit";

  public static final int MAX_ROWS_PER_COMMIT_DEFAULT = 50_000;

  /**
   * 0 turns off labeling under {@code ledgerlake up}; any other value runs the streaming labeling job
   * (labeling/flink), whose latency is its checkpoint interval. (Before the Flink job, {@code up} ran this stage at
   * this interval.) Read by the platform, not by the stage.
   */
  public static final String INTERVAL_MS = PREFIX + "interval-ms";

  public static final long INTERVAL_MS_DEFAULT = 10_000;

  public LabelingStageOptions {
    if (maxRowsPerCommit < 1) {
      throw new IllegalArgumentException(MAX_ROWS_PER_COMMIT + " must be >= 1, got " + maxRowsPerCommit);
    }
  }

  public static LabelingStageOptions defaults() {
    return new LabelingStageOptions(MAX_ROWS_PER_COMMIT_DEFAULT);
  }

  /** Options with the one precedence (flag &gt; environment &gt; properties file &gt; default). */
  public static LabelingStageOptions from(io.ledgerlake.common.config.Settings settings) {
    return fromMap(settings.values(java.util.List.of(MAX_ROWS_PER_COMMIT)));
  }

  public static LabelingStageOptions fromMap(Map<String, String> values) {
    String v = values.get(MAX_ROWS_PER_COMMIT);
    return new LabelingStageOptions(v == null || v.isBlank() ? MAX_ROWS_PER_COMMIT_DEFAULT : Integer.parseInt(v.trim()));
  }
}
