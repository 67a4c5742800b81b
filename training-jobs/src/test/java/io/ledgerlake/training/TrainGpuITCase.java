package io.ledgerlake.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkGpu;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train job with the RAPIDS Accelerator on a real GPU. Runs only where a GPU is visible ({@code nvidia-smi -L})
 * and the RAPIDS jar is on the test classpath (docs/training.md, "GPU": fetch the jar, then pass it with
 * {@code -Dmaven.test.additionalClasspath=PATH}); skipped elsewhere, e.g. on the CI machine, which has no GPU. An
 * integration test so that it gets its own JVM: the GPU plugin must be configured before the JVM's one Spark session
 * starts.
 */
class TrainGpuITCase {
  @TempDir Path dir;

  @Test
  void trainsWithTheRapidsPluginAndGivesTheSameModelTwice() throws Exception {
    assumeTrue(SparkGpu.Probe.nvidiaSmi().gpuVisible(), "no GPU visible (nvidia-smi -L lists none): GPU test skipped");
    assumeTrue(SparkGpu.pluginOnClasspath(), "the RAPIDS jar is not on the test classpath: GPU test skipped; fetch it with "
        + SparkGpu.FETCH_COMMAND + " and pass -Dmaven.test.additionalClasspath=ledgerlake-data/lib/rapids-4-spark_2.13-26.08.1.jar");
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir.resolve("data")))) {
      lakehouse.init();
      TrainingBenchmark.write(lakehouse, dir.resolve("records.jsonl"), 5_000);
      ContentStore content = ContentStore.open(ContentOptions.defaults().withStoreDir(dir.resolve("data").resolve("content")));
      JobRunner runner = new JobRunner(lakehouse, new PrintWriter(new StringWriter()));
      TrainJob job = new TrainJob(content, SparkOptions.from(Settings.of(Map.of(SparkOptions.GPU, "true"))));
      TrainParams params = new TrainParams("ds-bench", "ds-bench-v1", LabelSource.parse("field:topic"), Algorithm.LOGREG,
          42, false, "text", 1024, 50, 20);
      TrainResult first = runner.run(job, params);
      TrainResult again = runner.run(job, params);

      assertThat(SparkSession.active().conf().get("spark.plugins")).isEqualTo("com.nvidia.spark.SQLPlugin");
      assertThat(first.accuracy()).isGreaterThan(0.9);
      assertThat(again.modelCid()).isEqualTo(first.modelCid());
    }
  }
}
