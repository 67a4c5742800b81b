package io.ledgerlake.cli.content;

import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Content-store options resolved with the CLI's precedence (flag > env > file > default). */
public final class ContentSettings {
  private static final List<String> KEYS =
      List.of(
          ContentOptions.STORE_DIR,
          ContentOptions.PROFILE,
          ContentOptions.FSYNC,
          ContentOptions.GATEWAY_BIND,
          ContentOptions.GATEWAY_PORT,
          ContentOptions.KUBO_URL,
          ContentOptions.KUBO_TIMEOUT_SECONDS);

  private ContentSettings() {}

  /**
   * The content options; the block store defaults to {@code <data-dir>/content} so that one
   * {@code --data-dir} moves all local state.
   */
  public static ContentOptions options(Settings settings) {
    Properties props = new Properties();
    props.putAll(settings.values(KEYS));
    // Settings already applied the environment, with the CLI's precedence.
    ContentOptions options = ContentOptions.from(props, Map.of());
    if (settings.find(ContentOptions.STORE_DIR).isEmpty()) {
      Path dataDir = LakehouseOptions.from(settings).dataDir();
      options = options.withStoreDir(dataDir.resolve("content"));
    }
    return options;
  }

  public static ContentStore open(Settings settings) {
    return ContentStore.open(options(settings));
  }
}
