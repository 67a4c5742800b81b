package io.ledgerlake.content.blockstore;

import io.ledgerlake.content.BlockIntegrityException;
import io.ledgerlake.content.ContentIoException;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.unixfs.BlockSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocks written but not yet visible (a CAR import): each goes to the store's {@code tmp/} and is published only by
 * {@link #commit()}, so a failed import leaves nothing behind. Reads see the staged blocks first, then the store.
 * Obtained from {@link FsBlockstore#stage()}; not thread-safe.
 */
public final class Staging implements AutoCloseable, BlockSource {
  private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

  private final FsBlockstore store;
  private final Path dir;
  private final java.util.Map<String, Path> staged = new java.util.LinkedHashMap<>();
  private final java.util.Map<String, Long> sizes = new java.util.HashMap<>();
  private boolean done;

  Staging(FsBlockstore store, Path dir) {
    this.store = store;
    this.dir = dir;
  }

  /** Stages a block whose hash the caller has already verified. */
  public void put(Cid cid, byte[] data, int off, int len) {
    String key = FsBlockstore.key(cid.multihash());
    if (staged.containsKey(key) || Files.exists(store.pathOf(cid))) {
      return;
    }
    Path tmp = dir.resolve(key);
    store.writeTemp(tmp, ByteBuffer.wrap(data, off, len));
    staged.put(key, tmp);
    sizes.put(key, (long) len);
  }

  public boolean has(Cid cid) {
    return staged.containsKey(FsBlockstore.key(cid.multihash())) || store.has(cid);
  }

  /** Reads from the staged blocks first, then the store (verified either way). */
  @Override
  public byte[] get(Cid cid) {
    Path p = staged.get(FsBlockstore.key(cid.multihash()));
    if (p == null) {
      return store.get(cid);
    }
    try {
      byte[] data = Files.readAllBytes(p);
      if (!FsBlockstore.matches(cid, data, 0, data.length)) {
        throw BlockIntegrityException.corruptOnDisk(cid.toString(), p);
      }
      return data;
    } catch (IOException e) {
      throw new ContentIoException("read staged block", p, e);
    }
  }

  public int size() {
    return staged.size();
  }

  /** Publishes every staged block; returns how many were new. */
  public int commit() {
    int published = 0;
    for (java.util.Map.Entry<String, Path> e : staged.entrySet()) {
      String key = e.getKey();
      String shard = FsBlockstore.shard(key);
      if (store.publish(e.getValue(), key, shard, store.blockPath(key), sizes.get(key))) {
        published++;
      }
    }
    done = true;
    close();
    return published;
  }

  /** Discards whatever was staged (a no-op after commit). */
  @Override
  public void close() {
    try {
      FsBlockstore.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.warn("Could not remove staging directory {}", dir, e);
    }
    if (!done) {
      staged.clear();
    }
  }
}
