package io.ledgerlake.ingestion.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.RecordRejectedException;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.RejectionCode;
import io.ledgerlake.ingestion.record.RecordVisitor;
import java.io.IOException;
import java.io.InputStream;

/** JSON Lines: one JSON object per line; blank lines are skipped. */
public final class JsonLinesParser implements FormatParser {
  private final ParseLimits limits;

  public JsonLinesParser(ParseLimits limits) {
    this.limits = limits;
  }

  @Override
  public DataFormat format() {
    return DataFormat.JSONL;
  }

  @Override
  public boolean parse(ContentInput input, String entry, String mediaType, RecordVisitor visitor) throws IOException {
    try (InputStream in = input.openStream()) {
      return parseLines(new LineReader(in, limits.maxRecordBytes()), entry, visitor);
    }
  }

  /**
   * Parses one range of a (non-archive) upload, cut by {@link LineRanges}: line numbers and byte offsets are those of
   * the whole upload, but ordinals count from 1 inside the range. Each ordinal is reported exactly once, as a record
   * or a rejection, so the caller renumbers by adding the number of those reported for the earlier ranges.
   */
  public boolean parseRange(ContentInput input, LineRanges.Range range, RecordVisitor visitor) throws IOException {
    try (InputStream whole = input.openStream()) {
      whole.skipNBytes(range.start());
      InputStream in = new BoundedInput(whole, range.end() - range.start());
      return parseLines(
          new LineReader(in, limits.maxRecordBytes(), false, range.start(), range.firstLine() - 1), "", visitor);
    }
  }

  private boolean parseLines(LineReader reader, String entry, RecordVisitor visitor) throws IOException {
    Utf8 utf8 = new Utf8();
    long ordinal = 0;
    {
      LineReader.Line line;
      while ((line = reader.next()) != null) {
        RecordPosition position = RecordPosition.ofLine(entry, ordinal + 1, line.number(), line.offset());
        if (line.oversized()) {
          ordinal++;
          if (!visitor.onRejection(new Rejection(position, RejectionCode.RECORD_TOO_LARGE,
              "Line is " + line.length() + " bytes, more than " + IngestionOptions.MAX_RECORD_BYTES + "="
                  + limits.maxRecordBytes() + "; split the record or raise the limit"))) {
            return false;
          }
          continue;
        }
        if (isBlank(line.bytes())) {
          continue;
        }
        ordinal++;
        boolean goOn;
        try {
          String text = utf8.decode(line.bytes(), line.bytes().length, line.offset());
          goOn = visitor.onRecord(new ParsedRecord(position, parseObject(text), false));
        } catch (RecordRejectedException e) {
          goOn = visitor.onRejection(e.at(position));
        }
        if (!goOn) {
          return false;
        }
      }
    }
    return true;
  }

  /** Parses one JSON object; shared with other formats that embed JSON. */
  static ObjectNode parseObject(String text) {
    JsonNode node;
    try {
      node = Json.RECORD_READER.readValue(text);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      if (message != null && message.startsWith("Duplicate field")) {
        throw new RecordRejectedException(RejectionCode.DUPLICATE_KEY,
            message + "; every member name must appear once (RFC 8785)");
      }
      throw new RecordRejectedException(RejectionCode.MALFORMED_JSON, "Malformed JSON: " + describe(e));
    }
    if (node == null || !node.isObject()) {
      throw new RecordRejectedException(RejectionCode.NOT_AN_OBJECT,
          "Each line must be a JSON object, got " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase())
              + "; wrap the value as {\"value\": ...}");
    }
    return (ObjectNode) node;
  }

  private static String describe(JacksonException e) {
    String message = e.getOriginalMessage();
    if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
      message += " at column " + e.getLocation().getColumnNr();
    }
    return message;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
