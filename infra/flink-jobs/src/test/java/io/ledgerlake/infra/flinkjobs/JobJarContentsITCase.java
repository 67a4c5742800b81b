package io.ledgerlake.infra.flinkjobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the packaged job jar of the module it runs in (failsafe passes its path and main class): it must run on a
 * Flink cluster whose lib/ has Flink's runtime, so it carries the job and its own dependencies, and nothing that is
 * the cluster's (Flink runtime, logging backend) or that the job never uses (Spark, web3j, the CLI).
 */
class JobJarContentsITCase {
  private static Path jar;
  private static String mainClass;
  private static List<String> entries;
  private static Manifest manifest;

  @BeforeAll
  static void open() throws IOException {
    jar = Path.of(System.getProperty("ledgerlake.job.jar"));
    mainClass = System.getProperty("ledgerlake.job.main");
    assertThat(jar).as("the job jar built by maven-shade in the package phase").isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      entries = file.stream().map(ZipEntry::getName).toList();
      manifest = file.getManifest();
    }
  }

  @Test
  void hasTheJobsMainClassAsEntryPoint() {
    assertThat(entries).contains(mainClass.replace('.', '/') + ".class");
    assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(mainClass);
  }

  @Test
  void carriesTheNonFlinkDependenciesTheJobNeeds() {
    assertThat(entries)
        .as("Iceberg's Flink sink/source, Iceberg core, the lakehouse catalog code, Hadoop's client")
        .contains(
            "org/apache/iceberg/flink/TableLoader.class",
            "org/apache/iceberg/BaseTable.class",
            "io/ledgerlake/lakehouse/catalog/CatalogFactory.class",
            "org/apache/hadoop/conf/Configuration.class");
    assertThat(entries).anyMatch(e -> e.startsWith("META-INF/services/"));
    if (mainClass.contains(".ingestion.")) {
      assertThat(entries)
          .as("the Kafka connector and client are not part of a Flink distribution")
          .contains(
              "org/apache/flink/connector/kafka/source/KafkaSource.class",
              "org/apache/kafka/clients/consumer/KafkaConsumer.class");
    }
  }

  @Test
  void leavesOutFlinkRuntimeSparkWeb3jAndTheCli() throws IOException {
    assertThat(entries)
        .noneMatch(e -> e.startsWith("org/apache/spark/"))
        .noneMatch(e -> e.startsWith("org/web3j/"))
        .noneMatch(e -> e.startsWith("io/ledgerlake/cli/"))
        .noneMatch(e -> e.startsWith("io/ledgerlake/platform/"))
        .noneMatch(e -> e.startsWith("org/apache/flink/runtime/"))
        .noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/"))
        .noneMatch(e -> e.startsWith("org/apache/flink/table/runtime/"))
        .noneMatch(e -> e.startsWith("org/apache/flink/api/common/"))
        .noneMatch(e -> e.startsWith("org/apache/logging/log4j/"))
        .noneMatch(e -> e.startsWith("org/slf4j/"));
    // Slim means a fraction of the CLI's 400 MB classpath: Iceberg, Parquet, Avro and Hadoop's client dominate.
    assertThat(Files.size(jar)).isLessThan(150L * 1024 * 1024);
  }
}
