package io.ledgerlake.ingestion.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.format.ArchiveParser;
import io.ledgerlake.ingestion.format.CsvParser;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.JsonLinesParser;
import io.ledgerlake.ingestion.format.LineRanges;
import io.ledgerlake.ingestion.parquet.ParquetFormatParser;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.format.UploadParser;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordProcessor;
import io.ledgerlake.ingestion.record.RecordVisitor;
import io.ledgerlake.ingestion.record.Rejection;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parallel part of ingestion: parses one range of a JSON Lines or CSV upload (or run of row groups of a Parquet
 * upload, or run of files of an archive, which it may be asked to check first), validates, canonicalizes and names
 * its records (the expensive per-record work), and passes them on in {@link ParsedRange} chunks. Whole submissions
 * pass through to be parsed by the dedup step, as before. A range that fails is passed on as a failure, so the dedup step decides, with
 * the rest of the submission in view, whether to quarantine it or restart.
 */
final class RangeParseFunction extends ProcessFunction<ParseTask, IngestInput> {
  private static final Logger LOG = LoggerFactory.getLogger(RangeParseFunction.class);

  /**
   * Parsed records are sent on in chunks of about this size: large enough to amortize the per-element cost, well
   * under the 5 MiB above which Flink's network stack spills one record to disk on the receiving side.
   */
  static final int CHUNK_BYTES = 256 << 10;

  private final ContentAccess content;
  private final long[] limits;
  private final int chunkBytes;

  private transient ContentSource source;
  private transient JsonLinesParser jsonLines;
  private transient CsvParser csv;
  private transient ParquetFormatParser parquet;
  private transient ArchiveParser archives;

  RangeParseFunction(ContentAccess content, ParseLimits limits, int chunkBytes) {
    this.content = requireNonNull(content, "content");
    this.chunkBytes = chunkBytes;
    this.limits = IngestFunction.limitValues(limits);
  }

  @Override
  public void open(OpenContext context) {
    source = content.openSource();
    jsonLines = new JsonLinesParser(IngestFunction.limitsOf(limits));
    csv = new CsvParser(IngestFunction.limitsOf(limits));
    parquet = new ParquetFormatParser();
    archives = UploadParser.create(IngestFunction.limitsOf(limits)).archives();
  }

  @Override
  public void processElement(ParseTask task, Context ctx, Collector<IngestInput> out) {
    if (task.isWhole()) {
      out.collect(IngestInput.whole(task));
      return;
    }
    SubmissionEvent event = SubmissionEventSerializer.deserialize(task.event);
    if (task.check) {
      check(task, event, out);
      return;
    }
    RecordProcessor processor = new RecordProcessor(event.schema(), content.namer());
    Chunks chunks = new Chunks(task, out, chunkBytes);
    RecordVisitor visitor = new RecordVisitor() {
      @Override
      public boolean onRecord(ParsedRecord record) {
        RecordProcessor.Outcome outcome = processor.process(record);
        if (outcome.isAccepted()) {
          chunks.writer.record(record.position(), outcome.accepted().name(), outcome.accepted().canonicalJson());
        } else {
          chunks.writer.rejection(outcome.rejection());
        }
        chunks.flushIfFull();
        return true;
      }

      @Override
      public boolean onRejection(Rejection rejection) {
        chunks.writer.rejection(rejection);
        chunks.flushIfFull();
        return true;
      }
    };
    try {
      if (task.unit == ParseTask.Unit.ENTRIES) {
        archives.parseRun(source.open(event.cid()), event.contentType(), event.format(), (int) task.start,
            (int) (task.end - task.start), visitor);
      } else if (task.unit == ParseTask.Unit.ROW_GROUPS) {
        parquet.parseRowGroups(source.open(event.cid()), "", (int) task.start, (int) (task.end - task.start),
            visitor);
      } else if (event.format() == DataFormat.CSV) {
        csv.parseRange(source.open(event.cid()), new LineRanges.Range(task.start, task.end, task.firstLine), visitor);
      } else {
        jsonLines.parseRange(source.open(event.cid()), new LineRanges.Range(task.start, task.end, task.firstLine),
            visitor);
      }
      chunks.flush(true);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      chunks.fail(failure(task, event, e));
    }
  }

  /**
   * Checks one run of an archive's files without emitting them: parses them as the sequential job's check pass does,
   * and sends on whether that succeeded and how many bytes the run expanded to.
   */
  private void check(ParseTask task, SubmissionEvent event, Collector<IngestInput> out) {
    IngestInput verdict;
    try {
      ArchiveParser.RunResult result = archives.parseRun(source.open(event.cid()), event.contentType(),
          event.format(), (int) task.start, (int) (task.end - task.start), IngestFunction.CountingVisitor.INSTANCE);
      verdict = IngestInput.range(task);
      verdict.expandedBytes = result.expandedBytes();
    } catch (IOException | RuntimeException | StackOverflowError e) {
      verdict = failure(task, event, e);
    }
    verdict.lastChunk = true;
    out.collect(verdict);
  }

  /** Why a range could not be parsed, as the dedup step reads it. */
  private static IngestInput failure(ParseTask task, SubmissionEvent event, Throwable e) {
    IngestInput failed = IngestInput.range(task);
    if (e instanceof IngestionException ie) {
      failed.fail(IngestInput.REJECTED, ie.code(), ie.getMessage());
    } else if (e instanceof NoSuchFileException) {
      failed.fail(IngestInput.MISSING, null,
          "content " + event.cid() + " is not in the content store; re-upload the file");
    } else if (e instanceof IOException) {
      failed.fail(IngestInput.IO, null, e.toString());
    } else {
      LOG.error("Range {} of submission {} could not be parsed", task.rangeIndex, event.submissionId(), e);
      failed.fail(IngestInput.ERROR, null, e.getClass().getName() + ": " + e.getMessage());
    }
    return failed;
  }

  /** The chunks of one range, numbered in order; the last one (or the failure) ends the range. */
  private static final class Chunks {
    private final ParseTask task;
    private final Collector<IngestInput> out;
    private final int chunkBytes;
    private ParsedRange.Writer writer = new ParsedRange.Writer();
    private int next;

    Chunks(ParseTask task, Collector<IngestInput> out, int chunkBytes) {
      this.task = task;
      this.out = out;
      this.chunkBytes = chunkBytes;
    }

    void flushIfFull() {
      if (writer.size() >= chunkBytes) {
        flush(false);
      }
    }

    void flush(boolean last) {
      IngestInput chunk = chunk(last);
      chunk.parsed = writer.toByteArray();
      chunk.ordinals = writer.items();
      out.collect(chunk);
      writer = new ParsedRange.Writer();
    }

    /** Ends the range with a failure; the dedup step discards or rolls back the chunks before it. */
    void fail(IngestInput failure) {
      failure.chunkIndex = next++;
      failure.lastChunk = true;
      out.collect(failure);
    }

    private IngestInput chunk(boolean last) {
      IngestInput chunk = IngestInput.range(task);
      chunk.chunkIndex = next++;
      chunk.lastChunk = last;
      return chunk;
    }
  }

  @Override
  public void close() throws Exception {
    if (source instanceof AutoCloseable c) {
      c.close();
    }
  }
}
