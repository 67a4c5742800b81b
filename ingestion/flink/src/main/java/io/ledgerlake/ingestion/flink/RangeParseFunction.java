package io.ledgerlake.ingestion.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.format.CsvParser;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.JsonLinesParser;
import io.ledgerlake.ingestion.format.LineRanges;
import io.ledgerlake.ingestion.parquet.ParquetFormatParser;
import io.ledgerlake.ingestion.format.ParseLimits;
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
 * upload), validates, canonicalizes and names
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
  }

  @Override
  public void processElement(ParseTask task, Context ctx, Collector<IngestInput> out) {
    if (task.isWhole()) {
      out.collect(IngestInput.whole(task));
      return;
    }
    SubmissionEvent event = SubmissionEventSerializer.deserialize(task.event);
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
      if (task.rowGroups) {
        parquet.parseRowGroups(source.open(event.cid()), "", (int) task.start, (int) (task.end - task.start),
            visitor);
      } else if (event.format() == DataFormat.CSV) {
        csv.parseRange(source.open(event.cid()), new LineRanges.Range(task.start, task.end, task.firstLine), visitor);
      } else {
        jsonLines.parseRange(source.open(event.cid()), new LineRanges.Range(task.start, task.end, task.firstLine),
            visitor);
      }
      chunks.flush(true);
    } catch (IngestionException e) {
      chunks.fail(IngestInput.REJECTED, e.code(), e.getMessage());
    } catch (NoSuchFileException e) {
      chunks.fail(IngestInput.MISSING, null,
          "content " + event.cid() + " is not in the content store; re-upload the file");
    } catch (IOException e) {
      chunks.fail(IngestInput.IO, null, e.toString());
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error("Range {} of submission {} could not be parsed", task.rangeIndex, event.submissionId(), e);
      chunks.fail(IngestInput.ERROR, null, e.getClass().getName() + ": " + e.getMessage());
    }
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
    void fail(String kind, String code, String message) {
      IngestInput chunk = chunk(true);
      chunk.failureKind = kind;
      chunk.failureCode = code;
      chunk.failureMessage = message;
      out.collect(chunk);
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
