package io.ledgerlake.lakehouse.config;

import io.ledgerlake.common.config.Settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.catalog.CatalogFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  @Test
  void jobMainReadsOnlyItsConfigFile() throws Exception {
    Path file = dir.resolve("cluster.properties");
    Files.writeString(file, "ledgerlake.lakehouse.catalog.type=rest\n");
    assertThat(Settings.forJobMain("SomeJobMain", new String[] {"--config", file.toString()}).orElseThrow()
        .find(LakehouseOptions.CATALOG_TYPE)).contains("rest");
    assertThat(Settings.forJobMain("SomeJobMain", new String[] {"--help"})).as("usage printed, nothing to run").isEmpty();
  }

  @Test
  void precedenceIsFlagThenEnvThenFileThenDefault() throws Exception {
    Path file = dir.resolve("ll.properties");
    Files.writeString(file, "ledgerlake.data-dir=/from/file\nledgerlake.spark.master=local[1]\nother.key=f\n");
    Map<String, String> env = Map.of("LEDGERLAKE_DATA_DIR", "/from/env", "OTHER_KEY", "e");
    Settings s = Settings.load(Map.of("ledgerlake.data-dir", "/from/flag"), env, Optional.of(file));
    assertThat(s.get("ledgerlake.data-dir", "d")).isEqualTo("/from/flag");
    assertThat(s.get("other.key", "d")).isEqualTo("e");
    assertThat(s.get("ledgerlake.spark.master", "d")).isEqualTo("local[1]");
    assertThat(s.get("ledgerlake.missing", "d")).isEqualTo("d");

    Settings noFlag = Settings.load(Map.of(), env, Optional.of(file));
    assertThat(noFlag.get("ledgerlake.data-dir", "d")).isEqualTo("/from/env");
    Settings fileOnly = Settings.load(Map.of(), Map.of(), Optional.of(file));
    assertThat(fileOnly.get("ledgerlake.data-dir", "d")).isEqualTo("/from/file");
    assertThat(fileOnly.fileSource()).contains(file);
  }

  @Test
  void configFileFromEnvironment() throws Exception {
    Path file = Files.writeString(dir.resolve("x.properties"), "a.b=1\n");
    Settings s = Settings.load(Map.of(), Map.of(Settings.CONFIG_ENV, file.toString()), Optional.empty());
    assertThat(s.getInt("a.b", 0)).isEqualTo(1);
  }

  @Test
  void missingExplicitConfigFileIsUserError() {
    assertThatThrownBy(() -> Settings.load(Map.of(), Map.of(), Optional.of(dir.resolve("nope.properties"))))
        .isInstanceOf(io.ledgerlake.common.config.SettingsException.class)
        .hasMessageContaining("nope.properties")
        .hasMessageContaining("does not exist");
  }

  @Test
  void malformedIntegerNamesKeyAndEnv() {
    Settings s = Settings.of(Map.of("ledgerlake.x-y", "ten"));
    assertThatThrownBy(() -> s.getInt("ledgerlake.x-y", 1))
        .hasMessageContaining("ledgerlake.x-y=ten")
        .hasMessageContaining("LEDGERLAKE_X_Y");
  }

  @Test
  void lineageClosureMaxDepthDefaultKeyAndRange() {
    assertThat(LakehouseOptions.embedded(dir).lineageClosureMaxDepth()).isEqualTo(32);
    Map<String, String> five = Map.of(LakehouseOptions.DATA_DIR, dir.toString(),
        "ledgerlake.lakehouse.lineage.closure-max-depth", "5");
    assertThat(LakehouseOptions.from(Settings.of(five)).lineageClosureMaxDepth()).isEqualTo(5);
    Map<String, String> zero = Map.of(LakehouseOptions.DATA_DIR, dir.toString(),
        LakehouseOptions.LINEAGE_CLOSURE_MAX_DEPTH, "0");
    assertThatThrownBy(() -> LakehouseOptions.from(Settings.of(zero)))
        .hasMessageContaining("ledgerlake.lakehouse.lineage.closure-max-depth must be at least 1");
  }

  @Test
  void lakehouseOptionsDefaultsAndCatalogKinds() {
    LakehouseOptions embedded = LakehouseOptions.embedded(dir);
    assertThat(embedded.catalogType()).isEqualTo(LakehouseOptions.CatalogType.SQLITE);
    assertThat(embedded.catalogName()).isEqualTo("ledgerlake");
    assertThat(embedded.catalogUri()).isEqualTo("jdbc:sqlite:" + dir.resolve("catalog.db"));
    assertThat(embedded.warehouse()).isEqualTo(dir.resolve("warehouse").toUri().toString());
    assertThat(CatalogFactory.catalogProperties(embedded))
        .containsEntry("type", "jdbc")
        .containsEntry("jdbc.schema-version", "V1");

    LakehouseOptions pg =
        LakehouseOptions.from(
            Settings.of(
                Map.of(
                    LakehouseOptions.CATALOG_TYPE, "jdbc",
                    LakehouseOptions.CATALOG_URI, "jdbc:postgresql://127.0.0.1/ll",
                    LakehouseOptions.JDBC_USER, "ll",
                    LakehouseOptions.WAREHOUSE, "s3://bucket/wh",
                    LakehouseOptions.CATALOG_PROPERTY_PREFIX + "io-impl", "org.apache.iceberg.aws.s3.S3FileIO")));
    assertThat(CatalogFactory.catalogProperties(pg))
        .containsEntry("uri", "jdbc:postgresql://127.0.0.1/ll")
        .containsEntry("jdbc.user", "ll")
        .containsEntry("warehouse", "s3://bucket/wh")
        .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");

    LakehouseOptions rest =
        LakehouseOptions.from(Settings.of(Map.of(LakehouseOptions.CATALOG_TYPE, "REST", LakehouseOptions.CATALOG_URI, "http://127.0.0.1:8181")));
    assertThat(CatalogFactory.catalogProperties(rest)).containsEntry("type", "rest");
    LakehouseOptions hadoop = LakehouseOptions.from(Settings.of(Map.of(LakehouseOptions.CATALOG_TYPE, "hadoop")));
    assertThat(CatalogFactory.catalogProperties(hadoop)).containsEntry("type", "hadoop");
  }

  @Test
  void catalogMisconfigurationIsUserError() {
    assertThatThrownBy(() -> LakehouseOptions.from(Settings.of(Map.of(LakehouseOptions.CATALOG_TYPE, "mongo"))))
        .hasMessageContaining("unknown catalog type 'mongo'");
    assertThatThrownBy(() -> LakehouseOptions.from(Settings.of(Map.of(LakehouseOptions.CATALOG_TYPE, "rest"))))
        .hasMessageContaining(LakehouseOptions.CATALOG_URI);
  }
}
