package io.ledgerlake.lakehouse.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GPU switch's decisions, with the GPU probe faked (no GPU here); the real probe runs where one exists. */
class SparkGpuTest {
  static final SparkGpu.Probe GPU = () -> true;
  static final SparkGpu.Probe NO_GPU = () -> false;

  @Test
  void offByDefaultAndParsedFromSettings() {
    assertThat(SparkOptions.from(Settings.empty()).gpu()).isEqualTo(SparkGpu.Mode.FALSE);
    assertThat(SparkOptions.from(Settings.of(Map.of(SparkOptions.GPU, " Auto "))).gpu()).isEqualTo(SparkGpu.Mode.AUTO);
    assertThatThrownBy(() -> SparkOptions.from(Settings.of(Map.of(SparkOptions.GPU, "maybe"))))
        .isInstanceOf(LakehouseException.class).hasMessageContaining("true, false or auto");
    assertThat(SparkGpu.properties(SparkGpu.Mode.FALSE, GPU, true)).isEmpty();
  }

  @Test
  void trueWithoutAGpuOrWithoutTheJarIsAOneLineUserError() {
    assertThatThrownBy(() -> SparkGpu.properties(SparkGpu.Mode.TRUE, NO_GPU, true))
        .isInstanceOf(LakehouseException.class).hasMessageContaining("no GPU is visible").hasMessageNotContaining("\n")
        .satisfies(e -> assertThat(((LakehouseException) e).category()).isEqualTo(ErrorCategory.USER_ERROR));
    assertThatThrownBy(() -> SparkGpu.properties(SparkGpu.Mode.TRUE, GPU, false))
        .isInstanceOf(LakehouseException.class).hasMessageContaining(SparkGpu.FETCH_COMMAND);
  }

  @Test
  void autoFallsBackToTheCpuAndAGpuGetsThePlugin() {
    assertThat(SparkGpu.properties(SparkGpu.Mode.AUTO, NO_GPU, true)).isEmpty();
    assertThat(SparkGpu.properties(SparkGpu.Mode.AUTO, GPU, false)).isEmpty();
    Map<String, String> conf = SparkGpu.properties(SparkGpu.Mode.AUTO, GPU, true);
    assertThat(conf).containsEntry("spark.plugins", "com.nvidia.spark.SQLPlugin")
        .containsEntry("spark.rapids.sql.enabled", "true").containsEntry("spark.executor.resource.gpu.amount", "1")
        .containsEntry("spark.rapids.sql.explain", "NOT_ON_GPU");
    assertThat(SparkGpu.properties(SparkGpu.Mode.TRUE, GPU, true)).isEqualTo(conf);
  }

  @Test
  void theRealProbeAgreesWithTheMachine() {
    // Here: no NVIDIA driver, so no GPU. On a GPU machine this asserts the opposite through nvidia-smi itself.
    boolean nvidiaSmiListsAGpu = SparkGpu.Probe.nvidiaSmi().gpuVisible();
    assertThat(SparkGpu.properties(SparkGpu.Mode.AUTO, SparkGpu.Probe.nvidiaSmi(), SparkGpu.pluginOnClasspath()))
        .isEqualTo(nvidiaSmiListsAGpu && SparkGpu.pluginOnClasspath()
            ? SparkGpu.properties(SparkGpu.Mode.TRUE, GPU, true) : Map.of());
  }
}
