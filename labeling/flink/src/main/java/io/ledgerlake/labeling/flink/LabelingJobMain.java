package io.ledgerlake.labeling.flink;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point for running the labeling job on a Flink cluster ({@code flink run -c
 * io.ledgerlake.labeling.flink.LabelingJobMain ledgerlake-jobs.jar --config FILE}). Reads the same
 * {@code ledgerlake.*} keys as the CLI. Started without a savepoint it begins at the cursor committed to
 * label.labels; restores (and savepoints) come from the cluster, as for the ingestion job.
 */
public final class LabelingJobMain {
  private LabelingJobMain() {}

  public static void main(String[] args) throws Exception {
    Optional<Path> config = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        config = Optional.of(Path.of(args[++i]));
      } else if (args[i].equals("--help")) {
        System.out.println("usage: LabelingJobMain --config ledgerlake.properties");
        return;
      } else {
        System.err.println("unknown argument " + args[i] + "; usage: LabelingJobMain --config ledgerlake.properties");
        System.exit(2);
      }
    }
    Settings settings = Settings.load(Map.of(), System.getenv(), config);
    LakehouseOptions lakehouse = LakehouseOptions.from(settings);
    Map<String, String> labeling = new HashMap<>();
    settings.withPrefix(LabelingOptions.PREFIX).forEach((k, v) -> labeling.put(LabelingOptions.PREFIX + k, v));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    LabelingJob.build(env, lakehouse, LabelingOptions.fromMap(labeling), LabelingJobOptions.from(labeling),
        LabelingJob.cursor(lakehouse));
    env.execute(LabelingJob.JOB_NAME);
  }
}
