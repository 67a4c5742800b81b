package io.ledgerlake.lakehouse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.common.config.Settings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkOptionsTest {
  @TempDir Path dir;

  @Test
  void applicationJarsAreTheLedgerLakeJarFilesOfTheClassPath() throws Exception {
    Path ours = Files.createFile(dir.resolve("ledgerlake-jobs-0.1.0-SNAPSHOT.jar"));
    Path cli = Files.createFile(dir.resolve("ledgerlake-cli.jar"));
    Path theirs = Files.createFile(dir.resolve("spark-core_2.13-4.0.1.jar"));
    Path classes = Files.createDirectories(dir.resolve("ledgerlake-classes.jar")); // a directory, not shippable
    String classPath = String.join(File.pathSeparator, ours.toString(), theirs.toString(), classes.toString(),
        cli.toString(), dir.resolve("ledgerlake-missing.jar").toString(), "");

    assertThat(SparkOptions.applicationJars(classPath)).containsExactly(ours.toString(), cli.toString());
  }

  @Test
  void onlyClusterMastersGetSparkJarsAndAnExplicitOneWins() {
    assertThat(SparkOptions.from(Settings.empty()).clusterProperties()).isEmpty();
    assertThat(SparkOptions.from(Settings.of(Map.of(SparkOptions.MASTER, "local[*]"))).localMaster()).isTrue();
    SparkOptions cluster = SparkOptions.from(Settings.of(Map.of(SparkOptions.MASTER, "spark://127.0.0.1:7077")));
    assertThat(cluster.localMaster()).isFalse();
    assertThat(cluster.clusterProperties().getOrDefault("spark.jars", "").split(","))
        .allSatisfy(jar -> assertThat(jar).satisfiesAnyOf(j -> assertThat(j).isEmpty(),
            j -> assertThat(Path.of(j).getFileName().toString()).startsWith("ledgerlake-")));
    SparkOptions explicit = SparkOptions.from(Settings.of(Map.of(SparkOptions.MASTER, "spark://127.0.0.1:7077",
        SparkOptions.CONF_PREFIX + "spark.jars", "/opt/app.jar")));
    assertThat(explicit.clusterProperties()).isEmpty();
  }
}
