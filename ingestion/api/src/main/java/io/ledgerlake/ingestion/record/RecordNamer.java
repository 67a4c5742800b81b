package io.ledgerlake.ingestion.record;

/**
 * Names a record by its content. The content module provides the production implementation (a CIDv1 over the
 * canonical bytes); ingestion only depends on this seam so it can be built before the content module lands.
 */
@FunctionalInterface
public interface RecordNamer {
  /**
   * @param canonicalJson the bytes produced by {@link CanonicalJson#canonicalBytes}
   * @return a stable, content-derived name (for the content module: a CID string)
   */
  String name(byte[] canonicalJson);
}
