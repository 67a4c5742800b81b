package io.ledgerlake.cli.content;

import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.nio.file.Path;

/** Content-store options resolved with the CLI's precedence (flag > env > file > default). */
public final class ContentSettings {
  private ContentSettings() {}

  /**
   * The content options; the block store defaults to {@code <data-dir>/content} so that one
   * {@code --data-dir} moves all local state.
   */
  public static ContentOptions options(Settings settings) {
    ContentOptions options = ContentOptions.from(settings);
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
