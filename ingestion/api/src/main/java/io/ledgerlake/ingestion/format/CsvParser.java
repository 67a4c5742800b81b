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
    Utf8 utf8 = new Utf8();
    List<String> header = null;
    long ordinal = 0;
    try (InputStream in = input.openStream()) {
      LineReader reader = new LineReader(in, limits.maxRecordBytes(), true);
      LineReader.Line line;
      while ((line = reader.next()) != null) {
        // Gather one logical record (several physical lines when a quoted field contains newlines).
        long firstLine = line.number();
        long offset = line.offset();
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
            break; // unterminated quote at end of file: the splitter below reports it
          }
          totalLength += 1 + next.length();
          if (next.oversized() || totalLength > limits.maxRecordBytes()) {
            oversized = true;
            record.reset();
          }
          current = next;
        }
        if (header == null) {
          header = parseHeader(record.toByteArray(), oversized, entry, utf8);
          continue;
        }
        if (!oversized && isBlank(record)) {
          continue;
        }
        ordinal++;
        RecordPosition position = RecordPosition.ofLine(entry, ordinal, firstLine, offset);
        boolean goOn;
        if (oversized) {
          goOn = visitor.onRejection(new Rejection(position, RejectionCode.RECORD_TOO_LARGE,
              "CSV record is " + totalLength + "+ bytes, more than " + IngestionOptions.MAX_RECORD_BYTES + "="
                  + limits.maxRecordBytes() + "; split the record or raise the limit"));
        } else {
          try {
            byte[] bytes = record.toByteArray();
            List<String> fields = split(utf8.decode(bytes, bytes.length, offset));
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
    }
    if (header == null) {
      throw new InvalidContentException("CSV_NO_HEADER",
          "CSV file " + describe(entry) + " is empty; the first line must be a header naming the columns");
    }
    return true;
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

  private static boolean isBlank(ByteArrayOutputStream record) {
    return record.size() == 0;
  }

  private static String describe(String entry) {
    return entry.isEmpty() ? "(upload)" : entry;
  }
}
