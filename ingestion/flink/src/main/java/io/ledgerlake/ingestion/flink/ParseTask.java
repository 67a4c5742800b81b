package io.ledgerlake.ingestion.flink;

/**
 * What one parsing subtask does for one submission: the whole upload ({@code rangeCount == 0}), or the range {@code
 * rangeIndex} of {@code rangeCount}: {@code [start, end)} in the {@link #unit} of the upload (bytes of a JSON Lines
 * or CSV upload, whose first line is {@code firstLine}; row groups of a Parquet upload; files of an archive).
 * {@code seq} numbers the submissions of one dataset in log order, so that the dedup step after the parallel parse
 * takes them in that order.
 *
 * <p>When {@code checked}, every range is first checked ({@code check}: a parse that emits nothing but whether it
 * succeeded) and the dedup step emits nothing of the submission until all checks passed: for uploads that can turn
 * out bad as a whole midway (archives), as the sequential job checks them before emitting. A Flink POJO: public
 * fields, no-argument constructor.
 */
public class ParseTask {
  /** What {@code start} and {@code end} count. */
  public enum Unit {
    BYTES,
    ROW_GROUPS,
    ENTRIES
  }

  public String datasetId;
  public long seq;
  public byte[] event;
  public int rangeIndex;
  public int rangeCount;
  public Unit unit = Unit.BYTES;
  public long start;
  public long end;
  public long firstLine;
  public boolean checked;
  public boolean check;

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
    t.unit = Unit.ROW_GROUPS;
    return t;
  }

  /**
   * Files {@code [first, first + count)} of an archive, the range {@code index} of {@code total}: its check
   * ({@code check}) or its parse.
   */
  static ParseTask entries(String datasetId, long seq, byte[] event, int index, int total, int first, int count,
      boolean check) {
    ParseTask t = range(datasetId, seq, event, index, total, first, first + count, 0);
    t.unit = Unit.ENTRIES;
    t.checked = true;
    t.check = check;
    return t;
  }

  boolean isWhole() {
    return rangeCount == 0;
  }

  @Override
  public String toString() {
    return "ParseTask{" + datasetId + " #" + seq + (isWhole() ? " whole" : (check ? " check" : "") + " range "
        + rangeIndex + "/" + rangeCount + " " + unit + " [" + start + ", " + end + ")") + "}";
  }
}
