package io.ledgerlake.ingestion.format;

import io.ledgerlake.ingestion.IngestionOptions;

/** The size limits every parser enforces while streaming; see {@link IngestionOptions} for the keys. */
public record ParseLimits(
    long maxRecordBytes,
    long maxDocumentBytes,
    long archiveMaxEntries,
    long archiveMaxExpandedBytes,
    long archiveMaxCompressionRatio) {

  public ParseLimits {
    checkPositive(maxRecordBytes, IngestionOptions.MAX_RECORD_BYTES);
    checkPositive(maxDocumentBytes, IngestionOptions.MAX_DOCUMENT_BYTES);
    checkPositive(archiveMaxEntries, IngestionOptions.ARCHIVE_MAX_ENTRIES);
    checkPositive(archiveMaxExpandedBytes, IngestionOptions.ARCHIVE_MAX_EXPANDED_BYTES);
    checkPositive(archiveMaxCompressionRatio, IngestionOptions.ARCHIVE_MAX_COMPRESSION_RATIO);
    if (maxRecordBytes > Integer.MAX_VALUE - 16 || maxDocumentBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("Record and document limits must stay below 2 GiB: a record is held in memory");
    }
  }

  public static ParseLimits from(IngestionOptions options) {
    return new ParseLimits(
        options.getLong(IngestionOptions.MAX_RECORD_BYTES),
        options.getLong(IngestionOptions.MAX_DOCUMENT_BYTES),
        options.getLong(IngestionOptions.ARCHIVE_MAX_ENTRIES),
        options.getLong(IngestionOptions.ARCHIVE_MAX_EXPANDED_BYTES),
        options.getLong(IngestionOptions.ARCHIVE_MAX_COMPRESSION_RATIO));
  }

  public static ParseLimits defaults() {
    return from(IngestionOptions.defaultOptions());
  }

  public ParseLimits withMaxRecordBytes(long value) {
    return new ParseLimits(value, maxDocumentBytes, archiveMaxEntries, archiveMaxExpandedBytes,
        archiveMaxCompressionRatio);
  }

  public ParseLimits withArchiveLimits(long maxEntries, long maxExpandedBytes, long maxCompressionRatio) {
    return new ParseLimits(maxRecordBytes, maxDocumentBytes, maxEntries, maxExpandedBytes, maxCompressionRatio);
  }

  private static void checkPositive(long value, String key) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
  }
}
