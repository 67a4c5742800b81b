package io.ledgerlake.lakehouse.spark;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU switch: Spark properties for the RAPIDS Accelerator for Apache Spark, decided before Spark starts, because
 * the plugin fails executor start when no GPU is visible. {@code ledgerlake.spark.gpu}: {@code false} (default) runs on
 * the CPU; {@code true} requires a GPU and the RAPIDS jar (one-line user error otherwise); {@code auto} uses them when
 * both are there and falls back to the CPU with a warning. The RAPIDS jar (about 1 GB) is never a build dependency:
 * docs/training.md#gpu says how to fetch it.
 */
public final class SparkGpu {
  private static final Logger LOG = LoggerFactory.getLogger(SparkGpu.class);
  static final String PLUGIN_CLASS = "com.nvidia.spark.SQLPlugin";
  /** What docs/training.md tells users to run; kept here so the error message names the same command. */
  public static final String FETCH_COMMAND =
      "./mvnw dependency:copy -Dartifact=com.nvidia:rapids-4-spark_2.13:26.08.1 -DoutputDirectory=ledgerlake-data/lib";

  public enum Mode {
    FALSE,
    TRUE,
    AUTO;

    public static Mode of(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "%s must be true, false or auto, not '%s'", SparkOptions.GPU, text);
      }
    }
  }

  /** Whether a GPU is visible to this process. */
  public interface Probe {
    boolean gpuVisible();

    /** {@code nvidia-smi -L} lists at least one GPU (within 10 s). */
    static Probe nvidiaSmi() {
      return () -> {
        try {
          Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
          }
          String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          return p.exitValue() == 0 && out.contains("GPU ");
        } catch (IOException e) {
          return false; // no nvidia-smi: no NVIDIA driver
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      };
    }
  }

  private SparkGpu() {}

  /** The Spark properties for {@code mode}: empty to run on the CPU. */
  public static Map<String, String> properties(Mode mode, Probe probe, boolean pluginOnClasspath) {
    if (mode == Mode.FALSE) {
      return Map.of();
    }
    boolean gpu = probe.gpuVisible();
    String missing = !gpu ? "no GPU is visible (nvidia-smi -L lists none)"
        : !pluginOnClasspath ? "the RAPIDS Accelerator jar is not on the classpath; fetch it with: " + FETCH_COMMAND
        : null;
    if (missing != null) {
      if (mode == Mode.TRUE) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "--gpu: %s; run without --gpu (or %s=auto) to use the CPU",
            missing, SparkOptions.GPU);
      }
      LOG.warn("{}=auto: {}; running on the CPU", SparkOptions.GPU, missing);
      return Map.of();
    }
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.plugins", PLUGIN_CLASS);
    conf.put("spark.rapids.sql.enabled", "true");
    conf.put("spark.executor.resource.gpu.amount", "1");
    // Operators that stay on the CPU are logged: what the benchmark script reports.
    conf.put("spark.rapids.sql.explain", "NOT_ON_GPU");
    return conf;
  }

  public static boolean pluginOnClasspath() {
    try {
      Class.forName(PLUGIN_CLASS, false, SparkGpu.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
