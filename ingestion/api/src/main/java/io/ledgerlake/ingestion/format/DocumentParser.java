package io.ledgerlake.ingestion.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.RecordRejectedException;
import io.ledgerlake.ingestion.record.RecordVisitor;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.RejectionCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Plain text and Markdown: one record per document, {@code {"path", "media_type", "text"}}. A document is one record,
 * so it is held in memory, bounded by {@code max-document-bytes}; a longer one is rejected after skipping the rest.
 */
public final class DocumentParser implements FormatParser {
  public static final String FIELD_PATH = "path";
  public static final String FIELD_MEDIA_TYPE = "media_type";
  public static final String FIELD_TEXT = "text";

  private final ParseLimits limits;

  public DocumentParser(ParseLimits limits) {
    this.limits = limits;
  }

  @Override
  public DataFormat format() {
    return DataFormat.DOCUMENT;
  }

  @Override
  public boolean parse(ContentInput input, String entry, String mediaType, RecordVisitor visitor) throws IOException {
    RecordPosition position = RecordPosition.ofLine(entry, 1, 1, 0);
    int max = (int) limits.maxDocumentBytes();
    byte[] bytes;
    long skipped = 0;
    try (InputStream in = input.openStream()) {
      bytes = in.readNBytes(max);
      if (bytes.length == max) {
        // Count the rest without keeping it, so the reason can say how large the document is.
        byte[] scratch = new byte[64 * 1024];
        int n;
        while ((n = in.read(scratch)) > 0) {
          skipped += n;
        }
      }
    }
    if (skipped > 0) {
      return visitor.onRejection(new Rejection(position, RejectionCode.RECORD_TOO_LARGE,
          "Document is " + (bytes.length + skipped) + " bytes, more than " + IngestionOptions.MAX_DOCUMENT_BYTES + "="
              + max + "; split it or raise the limit"));
    }
    try {
      String text = new Utf8().decode(bytes, bytes.length, 0);
      ObjectNode value = JsonNodeFactory.instance.objectNode();
      value.put(FIELD_PATH, entry);
      value.put(FIELD_MEDIA_TYPE, mediaTypeOf(entry, mediaType));
      value.put(FIELD_TEXT, text);
      return visitor.onRecord(new ParsedRecord(position, value, false));
    } catch (RecordRejectedException e) {
      return visitor.onRejection(e.at(position));
    }
  }

  private static String mediaTypeOf(String entry, String mediaType) {
    String lower = entry.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
      return "text/markdown";
    }
    if (lower.endsWith(".txt")) {
      return "text/plain";
    }
    return DataFormat.DOCUMENT.mediaTypes().contains(mediaType) ? mediaType : "text/plain";
  }
}
