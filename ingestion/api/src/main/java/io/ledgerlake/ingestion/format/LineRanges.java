package io.ledgerlake.ingestion.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a newline-delimited upload (JSON Lines) into byte ranges that start right after a {@code \n}, so that each
 * range holds whole lines and can be parsed on its own. Each range carries the 1-based number of its first line, so
 * positions reported from a range equal those of the sequential parse. Cutting after {@code \n} never splits a
 * multi-byte UTF-8 sequence ({@code 0x0A} never occurs inside one) nor a {@code \r\n} pair.
 *
 * <p>CSV is not handled here: a newline inside a quoted field is not a record boundary, so a CSV cut needs quote
 * state from the start of the file (see docs/decisions/ingestion-parallel-parse.md).
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
    List<Range> ranges = new ArrayList<>();
    long target = Math.max(1, ((long) bytes.length + parts - 1) / parts);
    int start = 0;
    long line = 1;
    while (start < bytes.length) {
      if (ranges.size() == parts - 1) {
        ranges.add(new Range(start, bytes.length, line));
        break;
      }
      long want = (long) start + target;
      long firstLine = line;
      int end = -1;
      for (int pos = start; pos < bytes.length; pos++) {
        if (bytes[pos] == '\n') {
          line++;
          if (pos + 1 >= want) {
            end = pos + 1;
            break;
          }
        }
      }
      if (end < 0) {
        ranges.add(new Range(start, bytes.length, firstLine));
        break;
      }
      ranges.add(new Range(start, end, firstLine));
      start = end;
    }
    if (ranges.isEmpty()) {
      ranges.add(new Range(0, 0, 1));
    }
    return List.copyOf(ranges);
  }
}
