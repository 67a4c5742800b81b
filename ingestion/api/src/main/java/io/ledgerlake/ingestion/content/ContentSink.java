package io.ledgerlake.ingestion.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * Stores an upload body while it streams in. The content module provides the production implementation (CID computed
 * while streaming, blocks synced to disk); ingestion depends only on this seam.
 *
 * <p>Contract: return only after every byte is durable (fsynced), so a submission event that names the CID can never
 * point at lost content. Must not hold the whole body in memory. If {@code content} throws, nothing is committed
 * under a CID and the exception propagates.
 */
public interface ContentSink {
  StoredContent store(InputStream content) throws IOException;
}
