package io.ledgerlake.ingestion.format;

/**
 * Service-provider hook for parsers that live in their own module because of heavy dependencies (Parquet needs
 * Hadoop). Registered in {@code META-INF/services/io.ledgerlake.ingestion.format.FormatParserFactory}.
 */
public interface FormatParserFactory {
  DataFormat format();

  FormatParser create(ParseLimits limits);
}
