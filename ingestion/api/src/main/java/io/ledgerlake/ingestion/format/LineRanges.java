package io.ledgerlake.ingestion.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a newline-delimited upload (JSON Lines) into byte ranges that start right after a {@code \n}, so that each
 * range holds whole lines and can be parsed on its own. Each range carries the 1-based number of its first line, so
 * positions reported from a range equal those of the sequential parse. Cutting after {@code \n} never splits a
 * multi-byte UTF-8 sequence ({@code 0x0A} never occurs inside one) nor a {@code \r\n} pair.
 *
 * <p>CSV has its own rule ({@link #splitCsv}): a newline inside a quoted field is not a record boundary, so a CSV cut
 * needs the quote state from the start of the file.
 */
public final class LineRanges {
  private LineRanges() {}

  /** One range: bytes {@code [start, end)}, whose first line is line {@code firstLine} of the whole upload. */
  public record Range(long start, long end, long firstLine) {
    public Range {
      if (start < 0 || end < start || firstLine < 1) {
        throw new IllegalArgumentException("bad range [" + start + ", " + end + ") line " + firstLine);
      }
    }
  }

  /**
   * Splits {@code bytes} into at most {@code parts} ranges of roughly equal size, each ending just after a newline
   * (or at the end of the input). Fewer ranges come back when lines are longer than a part; an empty input gives
   * one empty range.
   */
  public static List<Range> split(byte[] bytes, int parts) {
    Objects.requireNonNull(bytes, "bytes");
    if (parts < 1) {
      throw new IllegalArgumentException("parts must be >= 1, got " + parts);
    }
    // Every range but the last is at least the target long, so there are at most `parts` of them.
    long target = Math.max(1, ((long) bytes.length + parts - 1) / parts);
    try {
      return split(new java.io.ByteArrayInputStream(bytes), target);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
  }

  /**
   * Splits a stream into ranges of at least {@code targetBytes} (the last one may be shorter), each ending just after
   * the first newline at or past its target size, or at the end of the input. One sequential pass over the bytes
   * looking for {@code \n}: no parsing. An empty input gives one empty range.
   */
  public static List<Range> split(InputStream in, long targetBytes) throws IOException {
    return split(in, targetBytes, false);
  }

  /**
   * As {@link #split(InputStream, long)} for CSV: cuts only after a newline where the count of {@code "} since the
   * start is even, which is exactly where {@link CsvParser} ends a record (a quoted field's newline is inside a record;
   * doubled quotes keep the parity). The first range holds the header; {@link CsvParser#parseRange} reads it from the
   * start of the upload for the others.
   */
  public static List<Range> splitCsv(InputStream in, long targetBytes) throws IOException {
    return split(in, targetBytes, true);
  }

  private static List<Range> split(InputStream in, long targetBytes, boolean csvQuotes) throws IOException {
    Objects.requireNonNull(in, "in");
    if (targetBytes < 1) {
      throw new IllegalArgumentException("targetBytes must be >= 1, got " + targetBytes);
    }
    List<Range> ranges = new ArrayList<>();
    byte[] buffer = new byte[64 * 1024];
    long offset = 0; // offset of buffer[0]
    long start = 0;
    long firstLine = 1;
    long line = 1; // number of the line the next byte belongs to
    boolean insideQuotes = false; // odd number of '"' so far (CSV only)
    int n;
    while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
      for (int i = 0; i < n; i++) {
        if (csvQuotes && buffer[i] == '"') {
          insideQuotes = !insideQuotes;
        } else if (buffer[i] == '\n') {
          line++;
          long end = offset + i + 1;
          if (end - start >= targetBytes && !insideQuotes) {
            ranges.add(new Range(start, end, firstLine));
            start = end;
            firstLine = line;
          }
        }
      }
      offset += n;
    }
    if (offset > start || ranges.isEmpty()) {
      ranges.add(new Range(start, offset, firstLine));
    }
    return List.copyOf(ranges);
  }
}
