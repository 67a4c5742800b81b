package io.ledgerlake.content.blockstore;

import java.util.Locale;

/** When block writes are forced to stable storage. */
public enum FsyncPolicy {
  /** fsync every block file before its rename and the shard directory after: durable per put. */
  ALWAYS,
  /** No fsync per put; {@link FsBlockstore#sync()} forces everything written since the last barrier. */
  BATCH,
  /** Never fsync (tests, scratch stores, or filesystems that are already synchronous). */
  NEVER;

  public static FsyncPolicy parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("Unknown fsync policy '" + value + "'; use always, batch or never", e);
    }
  }
}
