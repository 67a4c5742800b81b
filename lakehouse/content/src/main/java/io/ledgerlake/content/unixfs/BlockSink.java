package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.multiformats.Cid;
import java.nio.ByteBuffer;

/**
 * Where an importer sends the blocks it creates. The block is the concatenation of the remaining
 * bytes of {@code segments} (so a leaf can be framed without copying its payload); the buffers
 * are reused after the call returns. Callers guarantee that {@code cid} was computed from exactly
 * these bytes, so sinks need not hash again. A parallel {@link FileImporter} calls its sink from
 * several threads at once: implementations must be thread-safe.
 */
@FunctionalInterface
public interface BlockSink {
  /** Computes CIDs only. */
  BlockSink DISCARD = (cid, segments) -> { };

  void put(Cid cid, ByteBuffer... segments);
}
