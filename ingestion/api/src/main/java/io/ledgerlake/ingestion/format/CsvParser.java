package io.ledgerlake.ingestion.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.RecordRejectedException;
import io.ledgerlake.ingestion.record.RecordVisitor;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.RejectionCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * RFC 4180 CSV with a header row, comma separated, UTF-8. Our own reader rather than a library so that record framing
 * is byte-based and bounded: a record is the run of lines until the count of {@code "} is even (quotes inside quoted
 * fields are doubled, and 0x22 never occurs inside a multi-byte UTF-8 sequence). That gives per-record rejections for
 * invalid UTF-8 and oversized records and resynchronizes at the next record. See docs/decisions/ingestion-formats.md.
 */
public final class CsvParser implements FormatParser {
  private final ParseLimits limits;

  public CsvParser(ParseLimits limits) {
    this.limits = limits;
  }

  @Override
  public DataFormat format() {
    return DataFormat.CSV;
  }

  @Override
  public boolean parse(ContentInput input, String entry, String mediaType, RecordVisitor visitor) throws IOException {
    try (InputStream in = input.openStream()) {
      LineReader reader = new LineReader(in, limits.maxRecordBytes(), true);
      return parseRecords(reader, readHeader(reader, entry), entry, visitor);
    }
  }

  /**
   * Parses one range of a (non-archive) upload, cut by {@link LineRanges#splitCsv}: the header is read from the start
   * of the upload, line numbers and byte offsets are those of the whole upload, ordinals count from 1 inside the range
   * (each reported once, as a record or a rejection, as for {@link JsonLinesParser#parseRange}).
   */
  public boolean parseRange(ContentInput input, LineRanges.Range range, RecordVisitor visitor) throws IOException {
    List<String> header;
    try (InputStream in = input.openStream()) {
      LineReader reader = new LineReader(range.start() == 0 ? bounded(in, range.end()) : in, limits.maxRecordBytes(), true);
      header = readHeader(reader, "");
      if (range.start() == 0) {
        return parseRecords(reader, header, "", visitor);
      }
    }
    try (InputStream whole = input.openStream()) {
      whole.skipNBytes(range.start());
      LineReader reader = new LineReader(bounded(whole, range.end() - range.start()), limits.maxRecordBytes(), true,
          range.start(), range.firstLine() - 1);
      return parseRecords(reader, header, "", visitor);
    }
  }

  private static InputStream bounded(InputStream in, long limit) {
    return new BoundedInput(in, limit);
  }

  /** The first record is the header; an upload without one is rejected as a whole. */
  private List<String> readHeader(LineReader reader, String entry) throws IOException {
    CsvRecord first = CsvRecord.read(reader, limits.maxRecordBytes());
    if (first == null) {
      throw new InvalidContentException("CSV_NO_HEADER",
          "CSV file " + describe(entry) + " is empty; the first line must be a header naming the columns");
    }
    return parseHeader(first.bytes(), first.oversized(), entry, new Utf8());
  }

  private boolean parseRecords(LineReader reader, List<String> header, String entry, RecordVisitor visitor)
      throws IOException {
    Utf8 utf8 = new Utf8();
    long ordinal = 0;
    CsvRecord record;
    while ((record = CsvRecord.read(reader, limits.maxRecordBytes())) != null) {
      if (!record.oversized() && isBlank(record.bytes())) {
        continue;
      }
      ordinal++;
      RecordPosition position = RecordPosition.ofLine(entry, ordinal, record.firstLine(), record.offset());
      boolean goOn;
      if (record.oversized()) {
        goOn = visitor.onRejection(new Rejection(position, RejectionCode.RECORD_TOO_LARGE,
            "CSV record is " + record.totalLength() + "+ bytes, more than " + IngestionOptions.MAX_RECORD_BYTES + "="
                + limits.maxRecordBytes() + "; split the record or raise the limit"));
      } else {
        try {
          byte[] bytes = record.bytes();
          List<String> fields = split(utf8.decode(bytes, bytes.length, record.offset()));
          if (fields.size() != header.size()) {
            throw new RecordRejectedException(RejectionCode.WRONG_COLUMN_COUNT, "Row has " + fields.size()
                + " fields but the header has " + header.size() + " " + header + "; quote fields that contain commas");
          }
          ObjectNode value = JsonNodeFactory.instance.objectNode();
          for (int i = 0; i < fields.size(); i++) {
            value.put(header.get(i), fields.get(i));
          }
          goOn = visitor.onRecord(new ParsedRecord(position, value, true));
        } catch (RecordRejectedException e) {
          goOn = visitor.onRejection(e.at(position));
        }
      }
      if (!goOn) {
        return false;
      }
    }
    return true;
  }

  /**
   * One logical record: the run of physical lines until the count of {@code "} is even (a quoted field may contain
   * newlines). {@code bytes} is empty when the record is oversized.
   */
  private record CsvRecord(long firstLine, long offset, long totalLength, boolean oversized, byte[] bytes) {
    static CsvRecord read(LineReader reader, long maxRecordBytes) throws IOException {
      LineReader.Line line = reader.next();
      if (line == null) {
        return null;
      }
      long totalLength = line.length();
      boolean oversized = line.oversized();
      ByteArrayOutputStream record = new ByteArrayOutputStream();
      long quotes = 0;
      LineReader.Line current = line;
      while (true) {
        quotes += current.quotes();
        if (!oversized) {
          if (current != line) {
            record.write('\n');
          }
          record.writeBytes(current.bytes());
        }
        if (quotes % 2 == 0) {
          break;
        }
        LineReader.Line next = reader.next();
        if (next == null) {
          break; // unterminated quote at end of file: the splitter reports it
        }
        totalLength += 1 + next.length();
        if (next.oversized() || totalLength > maxRecordBytes) {
          oversized = true;
          record.reset();
        }
        current = next;
      }
      return new CsvRecord(line.number(), line.offset(), totalLength, oversized, record.toByteArray());
    }
  }

  private static List<String> parseHeader(byte[] bytes, boolean oversized, String entry, Utf8 utf8) {
    if (oversized) {
      throw new InvalidContentException("CSV_BAD_HEADER",
          "CSV header of " + describe(entry) + " is longer than " + IngestionOptions.MAX_RECORD_BYTES);
    }
    List<String> header;
    try {
      header = split(utf8.decode(bytes, bytes.length, 0));
    } catch (RecordRejectedException e) {
      throw new InvalidContentException("CSV_BAD_HEADER", "CSV header of " + describe(entry) + ": " + e.getMessage());
    }
    Set<String> seen = new HashSet<>();
    for (String name : header) {
      if (name.isBlank()) {
        throw new InvalidContentException("CSV_BAD_HEADER",
            "CSV header of " + describe(entry) + " has an empty column name: " + header + "; name every column");
      }
      if (!seen.add(name)) {
        throw new InvalidContentException("CSV_BAD_HEADER",
            "CSV header of " + describe(entry) + " names column '" + name + "' twice; column names must be unique");
      }
    }
    return header;
  }

  /** Splits one complete RFC 4180 record into fields. */
  static List<String> split(String record) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = record.length();
    while (true) {
      field.setLength(0);
      if (i < n && record.charAt(i) == '"') {
        int open = i++;
        while (true) {
          if (i >= n) {
            throw new RecordRejectedException(RejectionCode.MALFORMED_CSV,
                "Quoted field opened at character " + (open + 1) + " is never closed; close it with \"");
          }
          char c = record.charAt(i);
          if (c == '"') {
            if (i + 1 < n && record.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            field.append(c);
            i++;
          }
        }
        if (i < n && record.charAt(i) != ',') {
          throw new RecordRejectedException(RejectionCode.MALFORMED_CSV, "Unexpected character '" + record.charAt(i)
              + "' after a closing quote at character " + (i + 1) + "; a quoted field must end at a comma");
        }
      } else {
        while (i < n && record.charAt(i) != ',') {
          char c = record.charAt(i);
          if (c == '"') {
            throw new RecordRejectedException(RejectionCode.MALFORMED_CSV, "Quote inside an unquoted field at character "
                + (i + 1) + "; quote the whole field and double the inner quote (\"\")");
          }
          field.append(c);
          i++;
        }
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the comma
    }
  }

  private static boolean isBlank(byte[] record) {
    return record.length == 0;
  }

  private static String describe(String entry) {
    return entry.isEmpty() ? "(upload)" : entry;
  }
}
