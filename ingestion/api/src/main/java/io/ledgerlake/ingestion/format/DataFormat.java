package io.ledgerlake.ingestion.format;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The record formats a dataset can hold. Uploads are one file of the format, or a .zip/.tar of such files. */
public enum DataFormat {
  JSONL("jsonl", List.of("application/x-ndjson", "application/jsonl", "application/x-jsonlines"),
      List.of(".jsonl", ".ndjson")),
  CSV("csv", List.of("text/csv"), List.of(".csv")),
  PARQUET("parquet", List.of("application/vnd.apache.parquet", "application/x-parquet"), List.of(".parquet")),
  /** Plain text and Markdown documents: one record per document. */
  DOCUMENT("document", List.of("text/plain", "text/markdown"), List.of(".txt", ".md", ".markdown"));

  public static final String ZIP_MEDIA_TYPE = "application/zip";
  public static final String TAR_MEDIA_TYPE = "application/x-tar";

  private final String id;
  private final List<String> mediaTypes;
  private final List<String> extensions;

  DataFormat(String id, List<String> mediaTypes, List<String> extensions) {
    this.id = id;
    this.mediaTypes = mediaTypes;
    this.extensions = extensions;
  }

  /** Lower-case name used in the API and in events. */
  public String id() {
    return id;
  }

  public List<String> mediaTypes() {
    return mediaTypes;
  }

  public List<String> extensions() {
    return extensions;
  }

  public static DataFormat fromId(String id) {
    for (DataFormat format : values()) {
      if (format.id.equalsIgnoreCase(id)) {
        return format;
      }
    }
    throw new IllegalArgumentException("Unknown format '" + id + "'; use one of jsonl, csv, parquet, document");
  }

  public static Optional<DataFormat> fromFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (DataFormat format : values()) {
      for (String extension : format.extensions) {
        if (lower.endsWith(extension)) {
          return Optional.of(format);
        }
      }
    }
    return Optional.empty();
  }

  /** True for the content type of a .zip or .tar upload, whose entries are files of the dataset's format. */
  public static boolean isArchive(String contentType) {
    String type = normalizeMediaType(contentType);
    return ZIP_MEDIA_TYPE.equals(type) || TAR_MEDIA_TYPE.equals(type);
  }

  /** {@code "Text/CSV; charset=utf-8"} becomes {@code "text/csv"}. */
  public static String normalizeMediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String bare = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
    return bare.trim().toLowerCase(Locale.ROOT);
  }
}
