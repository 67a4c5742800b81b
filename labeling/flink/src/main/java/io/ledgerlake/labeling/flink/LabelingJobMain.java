package io.ledgerlake.labeling.flink;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point for running the labeling job on a Flink cluster ({@code flink run -c
 * io.ledgerlake.labeling.flink.LabelingJobMain ledgerlake-labeling-job.jar --config FILE}, the slim jar of
 * infra/flink-jobs/labeling). Reads the same
 * {@code ledgerlake.*} keys as the CLI. Started without a savepoint it begins at the cursor committed to
 * label.labels; restores (and savepoints) come from the cluster, as for the ingestion job.
 */
public final class LabelingJobMain {
  private LabelingJobMain() {}

  public static void main(String[] args) throws Exception {
    Optional<Settings> loaded = Settings.forJobMain("LabelingJobMain", args);
    if (loaded.isEmpty()) {
      return;
    }
    Settings settings = loaded.get();
    LakehouseOptions lakehouse = LakehouseOptions.from(settings);
    Map<String, String> labeling = new HashMap<>();
    settings.withPrefix(LabelingOptions.PREFIX).forEach((k, v) -> labeling.put(LabelingOptions.PREFIX + k, v));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    LabelingJob.build(env, lakehouse, LabelingOptions.fromMap(labeling), LabelingJobOptions.from(labeling),
        LabelingJob.cursor(lakehouse));
    env.execute(LabelingJob.JOB_NAME);
  }
}
