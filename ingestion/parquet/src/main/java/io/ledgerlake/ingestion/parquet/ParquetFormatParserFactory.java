package io.ledgerlake.ingestion.parquet;

import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.FormatParser;
import io.ledgerlake.ingestion.format.FormatParserFactory;
import io.ledgerlake.ingestion.format.ParseLimits;

/** Registers {@link ParquetFormatParser} with the upload parser through {@link java.util.ServiceLoader}. */
public final class ParquetFormatParserFactory implements FormatParserFactory {
  @Override
  public DataFormat format() {
    return DataFormat.PARQUET;
  }

  @Override
  public FormatParser create(ParseLimits limits) {
    return new ParquetFormatParser();
  }
}
