package io.ledgerlake.ingestion.record;

import static java.util.Objects.requireNonNull;

/**
 * Where a record came from inside one upload.
 *
 * @param entry archive entry path, or the empty string for a non-archive upload
 * @param ordinal 1-based index of the record inside its entry (for Parquet: the row number)
 * @param line 1-based line number where the record starts, or 0 when the format has no lines (Parquet)
 * @param byteOffset offset of the record's first byte inside the entry, or -1 when unknown (Parquet)
 */
public record RecordPosition(String entry, long ordinal, long line, long byteOffset) {
  public RecordPosition {
    requireNonNull(entry, "entry");
  }

  public static RecordPosition ofLine(String entry, long ordinal, long line, long byteOffset) {
    return new RecordPosition(entry, ordinal, line, byteOffset);
  }

  public static RecordPosition ofRow(String entry, long row) {
    return new RecordPosition(entry, row, 0, -1);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (!entry.isEmpty()) {
      out.append("entry ").append(entry).append(' ');
    }
    if (line > 0) {
      out.append("line ").append(line);
    } else {
      out.append("record ").append(ordinal);
    }
    if (byteOffset >= 0) {
      out.append(" (byte ").append(byteOffset).append(')');
    }
    return out.toString();
  }
}
