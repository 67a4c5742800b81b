package io.ledgerlake.ingestion.flink;

/**
 * What one parsing subtask does for one submission: the whole upload ({@code rangeCount == 0}), or bytes {@code
 * [start, end)} of it, the range {@code rangeIndex} of {@code rangeCount}, whose first line is {@code firstLine}; for a
 * Parquet upload ({@code rowGroups}), row groups {@code [start, end)} instead of bytes.
 * {@code seq} numbers the submissions of one dataset in log order, so that the dedup step after the parallel parse
 * takes them in that order. A Flink POJO: public fields, no-argument constructor.
 */
public class ParseTask {
  public String datasetId;
  public long seq;
  public byte[] event;
  public int rangeIndex;
  public int rangeCount;
  public long start;
  public long end;
  public long firstLine;
  public boolean rowGroups;

  public ParseTask() {}

  static ParseTask whole(String datasetId, long seq, byte[] event) {
    ParseTask t = new ParseTask();
    t.datasetId = datasetId;
    t.seq = seq;
    t.event = event;
    return t;
  }

  static ParseTask range(String datasetId, long seq, byte[] event, int index, int count, long start, long end,
      long firstLine) {
    ParseTask t = whole(datasetId, seq, event);
    t.rangeIndex = index;
    t.rangeCount = count;
    t.start = start;
    t.end = end;
    t.firstLine = firstLine;
    return t;
  }

  /** Row groups {@code [first, first + count)} of a Parquet upload, the range {@code index} of {@code total}. */
  static ParseTask rowGroups(String datasetId, long seq, byte[] event, int index, int total, int first, int count) {
    ParseTask t = range(datasetId, seq, event, index, total, first, first + count, 0);
    t.rowGroups = true;
    return t;
  }

  boolean isWhole() {
    return rangeCount == 0;
  }

  @Override
  public String toString() {
    return "ParseTask{" + datasetId + " #" + seq + (isWhole() ? " whole" : " range " + rangeIndex + "/" + rangeCount
        + (rowGroups ? " row groups" : "") + " [" + start + ", " + end + ")") + "}";
  }
}
