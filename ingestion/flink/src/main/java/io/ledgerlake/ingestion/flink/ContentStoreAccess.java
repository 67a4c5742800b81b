package io.ledgerlake.ingestion.flink;

import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.content.ContentStoreAdapter;
import io.ledgerlake.ingestion.record.RecordNamer;
import java.nio.file.Path;

/**
 * Content access for the job through a block store directory that every task manager can read:
 * the data directory in embedded mode, a shared volume on a cluster.
 */
public final class ContentStoreAccess implements ContentAccess {
  private final String storeDir;

  public ContentStoreAccess(Path storeDir) {
    this.storeDir = storeDir.toAbsolutePath().toString();
  }

  @Override
  public ContentSource openSource() {
    return new ContentStoreAdapter(ContentStore.open(ContentOptions.defaults().withStoreDir(Path.of(storeDir))));
  }

  @Override
  public RecordNamer namer() {
    return ContentStoreAdapter.recordNamer();
  }
}
