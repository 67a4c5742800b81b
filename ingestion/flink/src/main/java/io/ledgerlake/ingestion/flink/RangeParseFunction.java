package io.ledgerlake.ingestion.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import io.ledgerlake.ingestion.format.JsonLinesParser;
import io.ledgerlake.ingestion.format.LineRanges;
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
 * The parallel part of ingestion: parses one range of an upload, validates, canonicalizes and names its records (the
 * expensive per-record work), and passes them on as one {@link ParsedRange}. Whole submissions pass through to be
 * parsed by the dedup step, as before. A range that fails is passed on as a failure, so the dedup step decides, with
 * the rest of the submission in view, whether to quarantine it or restart.
 */
final class RangeParseFunction extends ProcessFunction<ParseTask, IngestInput> {
  private static final Logger LOG = LoggerFactory.getLogger(RangeParseFunction.class);

  private final ContentAccess content;
  private final long[] limits;

  private transient ContentSource source;
  private transient JsonLinesParser parser;

  RangeParseFunction(ContentAccess content, ParseLimits limits) {
    this.content = requireNonNull(content, "content");
    this.limits = IngestFunction.limitValues(limits);
  }

  @Override
  public void open(OpenContext context) {
    source = content.openSource();
    parser = new JsonLinesParser(IngestFunction.limitsOf(limits));
  }

  @Override
  public void processElement(ParseTask task, Context ctx, Collector<IngestInput> out) {
    if (task.isWhole()) {
      out.collect(IngestInput.whole(task));
      return;
    }
    SubmissionEvent event = SubmissionEventSerializer.deserialize(task.event);
    IngestInput result = IngestInput.range(task);
    ParsedRange.Writer writer = new ParsedRange.Writer();
    RecordProcessor processor = new RecordProcessor(event.schema(), content.namer());
    RecordVisitor visitor = new RecordVisitor() {
      @Override
      public boolean onRecord(ParsedRecord record) {
        RecordProcessor.Outcome outcome = processor.process(record);
        if (outcome.isAccepted()) {
          writer.record(record.position(), outcome.accepted().name(), outcome.accepted().canonicalJson());
        } else {
          writer.rejection(outcome.rejection());
        }
        return true;
      }

      @Override
      public boolean onRejection(Rejection rejection) {
        writer.rejection(rejection);
        return true;
      }
    };
    try {
      parser.parseRange(source.open(event.cid()), new LineRanges.Range(task.start, task.end, task.firstLine), visitor);
      result.parsed = writer.toByteArray();
      result.ordinals = writer.items();
    } catch (NoSuchFileException e) {
      fail(result, IngestInput.MISSING, "content " + event.cid() + " is not in the content store; re-upload the file");
    } catch (IOException e) {
      fail(result, IngestInput.IO, e.toString());
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error("Range {} of submission {} could not be parsed", task.rangeIndex, event.submissionId(), e);
      fail(result, IngestInput.ERROR, e.getClass().getName() + ": " + e.getMessage());
    }
    out.collect(result);
  }

  private static void fail(IngestInput result, String kind, String message) {
    result.failureKind = kind;
    result.failureMessage = message;
  }

  @Override
  public void close() throws Exception {
    if (source instanceof AutoCloseable c) {
      c.close();
    }
  }
}
