package io.ledgerlake.ingestion.format;

import io.ledgerlake.ingestion.UnsupportedFormatException;
import io.ledgerlake.ingestion.record.RecordVisitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Entry point for parsing one upload of a dataset: checks the declared content type against the dataset's format,
 * then dispatches to the format's parser or, for .zip/.tar, to the {@link ArchiveParser}.
 *
 * <p>Built-in parsers: JSON Lines, CSV, documents. Others (Parquet) are found through {@link FormatParserFactory}
 * service providers on the classpath.
 */
public final class UploadParser {
  private final Map<DataFormat, FormatParser> parsers;
  private final ArchiveParser archives;

  private UploadParser(ParseLimits limits, Map<DataFormat, FormatParser> parsers) {
    this.parsers = parsers;
    this.archives = new ArchiveParser(limits, this::parserFor);
  }

  public static UploadParser create(ParseLimits limits) {
    Map<DataFormat, FormatParser> parsers = new EnumMap<>(DataFormat.class);
    parsers.put(DataFormat.JSONL, new JsonLinesParser(limits));
    parsers.put(DataFormat.CSV, new CsvParser(limits));
    parsers.put(DataFormat.DOCUMENT, new DocumentParser(limits));
    for (FormatParserFactory factory : ServiceLoader.load(FormatParserFactory.class)) {
      parsers.put(factory.format(), factory.create(limits));
    }
    return new UploadParser(limits, parsers);
  }

  /** The parser of .zip and .tar uploads, for parsing one in runs of entries (see {@link ArchiveParser#parseRun}). */
  public ArchiveParser archives() {
    return archives;
  }

  public boolean supports(DataFormat format) {
    return parsers.containsKey(format);
  }

  /** The content types an upload to a dataset of this format may declare. */
  public static List<String> acceptedMediaTypes(DataFormat format) {
    List<String> types = new ArrayList<>(format.mediaTypes());
    types.add(DataFormat.ZIP_MEDIA_TYPE);
    types.add(DataFormat.TAR_MEDIA_TYPE);
    return List.copyOf(types);
  }

  /**
   * Fails with {@link UnsupportedFormatException} unless {@code contentType} is accepted for {@code format}.
   *
   * @return the normalized media type
   */
  public static String checkContentType(DataFormat format, String contentType) {
    String mediaType = DataFormat.normalizeMediaType(contentType);
    if (!acceptedMediaTypes(format).contains(mediaType)) {
      throw new UnsupportedFormatException("Content type '" + (contentType == null ? "" : contentType)
          + "' is not accepted by a " + format.id() + " dataset; send one of " + acceptedMediaTypes(format));
    }
    return mediaType;
  }

  /**
   * Parses one upload.
   *
   * @return false if the visitor stopped early
   * @throws UnsupportedFormatException for a content type the dataset does not accept
   * @throws io.ledgerlake.ingestion.InvalidContentException when the upload as a whole is unreadable
   */
  public boolean parse(DataFormat datasetFormat, String contentType, ContentInput input, RecordVisitor visitor)
      throws IOException {
    String mediaType = checkContentType(datasetFormat, contentType);
    return switch (mediaType) {
      case DataFormat.ZIP_MEDIA_TYPE -> archives.parseZip(input, datasetFormat, visitor);
      case DataFormat.TAR_MEDIA_TYPE -> archives.parseTar(input, datasetFormat, visitor);
      default -> parserFor(datasetFormat).parse(input, "", mediaType, visitor);
    };
  }

  private FormatParser parserFor(DataFormat format) {
    FormatParser parser = parsers.get(format);
    if (parser == null) {
      throw new UnsupportedFormatException("No parser for format " + format.id()
          + " on the classpath; add the ledgerlake-ingestion-" + format.id() + " module");
    }
    return parser;
  }
}
