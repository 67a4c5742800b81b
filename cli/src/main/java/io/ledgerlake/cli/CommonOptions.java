package io.ledgerlake.cli;

import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options every command takes. They form the top layer of {@link Settings}: CLI flag &gt;
 * environment &gt; {@code ledgerlake.properties} &gt; default.
 */
public final class CommonOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Local state: catalog, warehouse, blocks (default: ./ledgerlake-data, env LEDGERLAKE_DATA_DIR).")
  Path dataDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file (default: ./ledgerlake.properties if present, env LEDGERLAKE_CONFIG).")
  Path config;

  @Option(
      names = {"-D", "--set"},
      paramLabel = "KEY=VALUE",
      description = "Set any configuration key, e.g. -D ledgerlake.lakehouse.catalog.type=rest.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--verbose", description = "Log progress and show stack traces on errors.")
  boolean verbose;

  /** Settings for this invocation, read from flags, the environment and the properties file. */
  public Settings settings(Map<String, String> environment) {
    Map<String, String> flags = new LinkedHashMap<>(overrides);
    if (dataDir != null) {
      flags.put(LakehouseOptions.DATA_DIR, dataDir.toString());
    }
    return Settings.load(flags, environment, Optional.ofNullable(config));
  }
}
