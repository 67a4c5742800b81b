package io.ledgerlake.ingestion.flink;

/**
 * Input of the dedup-and-emit step ({@link IngestFunction}): a whole submission to parse there ({@code rangeCount ==
 * 0}), or one chunk of the parsed form of one of its ranges ({@code parsed}, see {@link ParsedRange}) with the number
 * of ordinals it used, or why that range could not be parsed ({@code failureKind}). A Flink POJO.
 */
public class IngestInput {
  /** The range's content could not be found. */
  static final String MISSING = "missing";
  /** An I/O error reading the range: may be transient. */
  static final String IO = "io";
  /** The upload as a whole is bad (e.g. a CSV header): rejected, with {@code failureCode}. */
  static final String REJECTED = "rejected";
  /** Anything else (a bug or an input nobody foresaw). */
  static final String ERROR = "error";

  public String datasetId;
  public long seq;
  public byte[] event;
  public int rangeIndex;
  public int rangeCount;
  /** Chunks of one range are numbered from 0; the last one says so. A failed range is one last chunk. */
  public int chunkIndex;
  public boolean lastChunk;
  public byte[] parsed;
  public long ordinals;
  public String failureKind;
  public String failureCode;
  public String failureMessage;
  /** The submission's ranges are checked before any is emitted; see {@link ParseTask}. */
  public boolean checked;
  /** This input is the verdict of a range's check, not its records; {@code expandedBytes} of an archive run. */
  public boolean check;
  public long expandedBytes;

  public IngestInput() {}

  static IngestInput whole(ParseTask task) {
    IngestInput in = new IngestInput();
    in.datasetId = task.datasetId;
    in.seq = task.seq;
    in.event = task.event;
    return in;
  }

  static IngestInput range(ParseTask task) {
    IngestInput in = whole(task);
    in.rangeIndex = task.rangeIndex;
    in.rangeCount = task.rangeCount;
    in.checked = task.checked;
    in.check = task.check;
    return in;
  }

  void fail(String kind, String code, String message) {
    failureKind = kind;
    failureCode = code;
    failureMessage = message;
  }

  boolean isWhole() {
    return rangeCount == 0;
  }

  @Override
  public String toString() {
    return "IngestInput{" + datasetId + " #" + seq + (isWhole() ? " whole" : " range " + rangeIndex + "/" + rangeCount
        + (check ? " check" : " chunk " + chunkIndex) + (lastChunk ? " (last)" : ""))
        + (failureKind == null ? "" : " failed: " + failureKind) + "}";
  }
}
