package io.ledgerlake.ingestion.flink;

import io.ledgerlake.lakehouse.flink.RowLayout;
import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import io.ledgerlake.ingestion.format.ContentInput;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.format.UploadParser;
import io.ledgerlake.ingestion.record.BoundedNumbers;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordNamer;
import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.RecordProcessor;
import io.ledgerlake.ingestion.record.RecordVisitor;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.status.SubmissionState;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one submission per event, keyed by dataset: streams the content from the content store,
 * parses it per format, validates each record against the dataset schema in the event,
 * canonicalizes and names it, drops exact duplicates within the dataset (keyed state), and emits
 * records (main output), rejections and the submission's final status (side outputs).
 *
 * <p>Exactly once: the duplicate set is checkpointed with the Kafka offsets, and the Iceberg sinks
 * commit per checkpoint. After a failure, events after the last checkpoint are replayed against the
 * duplicate set as it was at that checkpoint, while their uncommitted rows were discarded: no row
 * is written twice and none is lost.
 *
 * <p>A whole-upload failure (truncated Parquet, unsafe archive, wrong content type) must leave
 * nothing of the submission visible. Records are emitted as they are parsed, so uploads whose
 * container can turn out bad midway (archives, Parquet) are first checked in a parse-only pass.
 */
final class IngestFunction extends KeyedProcessFunction<String, IngestInput, RowData> implements CheckpointListener, CheckpointedFunction {
  private static final Logger LOG = LoggerFactory.getLogger(IngestFunction.class);

  private final OutputTag<RowData> rejections;
  private final OutputTag<RowData> status;
  private final ContentAccess content;
  // ParseLimits is a plain record (not Serializable): its values travel with the operator.
  private final long[] limits;
  private final RowLayout recordLayout;
  private final RowLayout rejectionLayout;
  private final RowLayout statusLayout;

  private transient MapState<String, Boolean> seen;
  private transient ContentSource source;
  private transient RecordNamer namer;
  private transient UploadParser parser;
  /** True after a restart until the next completed checkpoint: see {@link #handleFailure}. */
  private transient boolean safeMode;
  /** Next submission (seq) to process, per dataset: see {@link #processElement}. */
  private transient ValueState<Long> nextSeq;
  /** Inputs that arrived before an earlier one of their dataset, per dataset and seq. Never checkpointed. */
  private transient Map<String, TreeMap<Long, Pending>> waiting;

  IngestFunction(
      ContentAccess content,
      ParseLimits limits,
      RowLayout recordLayout,
      RowLayout rejectionLayout,
      RowLayout statusLayout,
      OutputTag<RowData> rejections,
      OutputTag<RowData> status) {
    this.rejections = requireNonNull(rejections, "rejections");
    this.status = requireNonNull(status, "status");
    this.content = requireNonNull(content, "content");
    this.limits = limitValues(limits);
    this.recordLayout = recordLayout;
    this.rejectionLayout = rejectionLayout;
    this.statusLayout = statusLayout;
  }

  static long[] limitValues(ParseLimits limits) {
    requireNonNull(limits, "limits");
    return new long[] {
      limits.maxRecordBytes(),
      limits.maxDocumentBytes(),
      limits.archiveMaxEntries(),
      limits.archiveMaxExpandedBytes(),
      limits.archiveMaxCompressionRatio()
    };
  }

  static ParseLimits limitsOf(long[] values) {
    return new ParseLimits(values[0], values[1], values[2], values[3], values[4]);
  }

  @Override
  public void open(OpenContext context) {
    // A restarted attempt replays events after the last checkpoint: one of them may be what failed the task.
    safeMode = getRuntimeContext().getTaskInfo().getAttemptNumber() > 0;
    if (safeMode) {
      LOG.info("Ingestion task restarted (attempt {}): checking each submission before emitting until the next checkpoint",
          getRuntimeContext().getTaskInfo().getAttemptNumber());
    }
    // Per dataset (the key): record CIDs already ingested. Grows with the dataset; see
    // docs/decisions/ingestion-flink-job.md for why no TTL is set.
    seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-record-cids", Types.STRING, Types.BOOLEAN));
    source = content.openSource();
    namer = content.namer();
    parser = UploadParser.create(limitsOf(limits));
    nextSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("next-submission-seq", Types.LONG));
    waiting = new HashMap<>();
  }

  /**
   * Takes the submissions of a dataset in log order ({@link ParseTask#seq}), and the ranges of a split one in file
   * order, whatever order the parsing subtasks deliver them in: the first of two identical records is kept and the
   * second counted as a duplicate, as in a sequential parse. Whatever arrives early waits in {@link #waiting}, which
   * is empty at every checkpoint: all inputs of a submission precede the same barrier (see {@link SplitFunction}).
   */
  @Override
  public void processElement(IngestInput input, Context ctx, Collector<RowData> out) throws Exception {
    String dataset = ctx.getCurrentKey();
    Long stored = nextSeq.value();
    long next = stored == null ? 0 : stored;
    if (input.seq < next) {
      // The rest of a submission that ended early (a failed range): nothing more of it is emitted.
      return;
    }
    TreeMap<Long, Pending> queue = waiting.computeIfAbsent(dataset, k -> new TreeMap<>());
    queue.computeIfAbsent(input.seq, k -> new Pending(input)).add(input);
    Pending pending;
    while ((pending = queue.get(next)) != null && pending.advance(ctx, out)) {
      queue.remove(next);
      next++;
      nextSeq.update(next);
    }
    if (queue.isEmpty()) {
      waiting.remove(dataset);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    if (!waiting.isEmpty()) {
      // Cannot happen with aligned checkpoints; would mean inputs of a submission straddle a barrier.
      LOG.error("Checkpoint {} taken while submissions wait for earlier inputs: {}", context.getCheckpointId(),
          waiting.keySet());
    }
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {}

  /** One submission's inputs: the whole event, or its ranges' chunks as they arrive, and the progress through them. */
  private final class Pending {
    private final SubmissionEvent event;
    private final int rangeCount;
    /** Chunks not yet processed, by (range, chunk): see {@link #key}. */
    private final TreeMap<Long, IngestInput> chunks = new TreeMap<>();
    private final Counts counts = new Counts();
    private final Instant now = Instant.now();
    private IngestInput whole;
    private int rangesReceived; // ranges whose last chunk is in
    private int nextRange;
    private int nextChunk;
    private long ordinalsBefore; // ordinals of the ranges before nextRange
    private long rangeItems; // ordinals of nextRange's chunks processed so far
    /** The ranges' check verdicts, when the submission is checked before it is emitted (else null). */
    private final IngestInput[] verdicts;
    private int verdictsReceived;
    private boolean checksPassed;

    Pending(IngestInput first) {
      this.event = SubmissionEventSerializer.deserialize(first.event);
      this.rangeCount = first.rangeCount;
      this.verdicts = first.checked ? new IngestInput[rangeCount] : null;
    }

    void add(IngestInput input) {
      if (input.isWhole()) {
        whole = input;
        return;
      }
      if (input.check) {
        verdicts[input.rangeIndex] = input;
        verdictsReceived++;
        return;
      }
      chunks.put(key(input.rangeIndex, input.chunkIndex), input);
      if (input.lastChunk) {
        rangesReceived++;
      }
    }

    private static long key(int range, int chunk) {
      return ((long) range << 32) | chunk;
    }

    /** Processes what is here in order; true when the submission is done. */
    boolean advance(Context ctx, Collector<RowData> out) throws Exception {
      if (whole != null) {
        ingestWhole(event, ctx, out);
        return true;
      }
      if (verdicts != null && !checksPassed) {
        if (verdictsReceived < rangeCount) {
          return false; // nothing of a checked submission is emitted before every range passed its check
        }
        Throwable failure = checkFailure();
        if (failure != null) {
          chunks.clear();
          handleFailure(event, counts, failure, now, ctx);
          return true;
        }
        checksPassed = true;
      }
      if (safeMode && rangesReceived < rangeCount) {
        return false; // replaying after a failure: check every range before emitting any
      }
      if (safeMode) {
        for (IngestInput chunk : chunks.values()) {
          if (chunk.failureKind != null) {
            chunks.clear();
            handleFailure(event, counts, failureOf(chunk), now, ctx);
            return true;
          }
        }
      }
      Emitter emitter = new Emitter(event, now, counts, out, ctx);
      IngestInput chunk;
      while ((chunk = chunks.remove(key(nextRange, nextChunk))) != null) {
        if (chunk.failureKind != null) {
          if (!counts.nothingEmitted()) {
            // Earlier chunks are emitted: restart from the last checkpoint to discard them (safe mode then).
            throw new IllegalStateException("range " + chunk.rangeIndex + " of " + rangeCount + " of submission "
                + event.submissionId() + " failed (" + chunk.failureKind + "): " + chunk.failureMessage);
          }
          chunks.clear();
          handleFailure(event, counts, failureOf(chunk), now, ctx);
          return true;
        }
        // Ordinals in a chunk are its range's own: shift them by the ranges before.
        ParsedRange.read(chunk.parsed, ordinalsBefore, emitter);
        rangeItems += chunk.ordinals;
        if (chunk.lastChunk) {
          ordinalsBefore += rangeItems;
          rangeItems = 0;
          nextRange++;
          nextChunk = 0;
        } else {
          nextChunk++;
        }
      }
      if (nextRange < rangeCount) {
        return false;
      }
      ctx.output(status, statusRow(event, SubmissionState.INGESTED, counts, null, now));
      LOG.info("Ingested submission {} of dataset {} from {} ranges: {} accepted, {} rejected, {} duplicates",
          event.submissionId(), event.datasetId(), rangeCount, counts.accepted, counts.rejected, counts.duplicates);
      return true;
    }

    /**
     * What the whole-upload parse would have failed with first, from the checks in range order: a range's failure,
     * or the archive expanding past its limit in total (each range only knows its own part).
     */
    private Throwable checkFailure() {
      long expanded = 0;
      for (IngestInput verdict : verdicts) {
        if (verdict.failureKind != null) {
          return failureOf(verdict);
        }
        expanded += verdict.expandedBytes;
        try {
          parser.archives().checkExpandedTotal(expanded);
        } catch (IngestionException e) {
          return e;
        }
      }
      return null;
    }
  }

  /** A range that failed in a parsing subtask, as the same failure of a whole submission would have been thrown. */
  private static Throwable failureOf(IngestInput failed) {
    String message = failed.failureMessage;
    return switch (failed.failureKind) {
      case IngestInput.MISSING -> new NoSuchFileException(message);
      case IngestInput.IO -> new IOException(message);
      case IngestInput.REJECTED -> new InvalidContentException(failed.failureCode, message);
      default -> new IllegalStateException(message);
    };
  }

  private void ingestWhole(SubmissionEvent event, Context ctx, Collector<RowData> out) throws Exception {
    Instant now = Instant.now();
    Counts counts = new Counts();
    try {
      ContentInput input = source.open(event.cid());
      if (safeMode) {
        // Replaying after a failure: run everything that can throw (parse, validate, canonicalize, name) before
        // anything is emitted, so that a submission that fails again can be quarantined without partial rows.
        parser.parse(event.format(), event.contentType(), input, new ProcessingVisitor(event));
      } else if (needsPrecheck(event)) {
        parser.parse(event.format(), event.contentType(), input, CountingVisitor.INSTANCE);
      }
      parser.parse(event.format(), event.contentType(), input, new Emitter(event, now, counts, out, ctx));
    } catch (RuntimeException | IOException | StackOverflowError e) {
      handleFailure(event, counts, e, now, ctx);
      return;
    }
    ctx.output(status, statusRow(event, SubmissionState.INGESTED, counts, null, now));
    LOG.info(
        "Ingested submission {} of dataset {}: {} accepted, {} rejected, {} duplicates",
        event.submissionId(), event.datasetId(), counts.accepted, counts.rejected, counts.duplicates);
  }

  /**
   * A submission's processing threw. Expected outcomes (a bad upload as a whole, content missing) end the
   * submission; an unexpected exception quarantines it (status {@code failed}) when nothing of it has been emitted,
   * or otherwise fails the task, so that the restart from the last checkpoint discards the partial rows and replays
   * the submission in {@linkplain #safeMode safe mode}, where it fails before emitting and is quarantined. One bad
   * submission costs at most one restart; it never fails the job for every dataset, nor does a replay of the log.
   */
  private void handleFailure(SubmissionEvent event, Counts counts, Throwable failure, Instant now, Context ctx)
      throws Exception {
    boolean nothingEmitted = counts.nothingEmitted();
    if (failure instanceof IngestionException e) {
      if (!nothingEmitted) {
        // The precheck passed but the real pass failed: not a property of the upload. Restart
        // from the last checkpoint rather than commit part of it.
        throw e;
      }
      LOG.info("Submission {} rejected as a whole: {}", event.submissionId(), e.getMessage());
      ctx.output(rejections, rejectionRow(event, null, e.code(), e.getMessage(), now));
      ctx.output(status, statusRow(event, SubmissionState.REJECTED, counts, e.getMessage(), now));
      return;
    }
    if (failure instanceof NoSuchFileException) {
      String msg = "content " + event.cid() + " is not in the content store; re-upload the file";
      LOG.warn("Submission {} failed: {}", event.submissionId(), msg);
      ctx.output(status, statusRow(event, SubmissionState.FAILED, counts, msg, now));
      return;
    }
    // An I/O or state-backend error outside safe mode may be transient: the restart retries it (in safe mode).
    boolean transientKind = failure instanceof IOException || failure instanceof InfrastructureFailure;
    boolean quarantine = nothingEmitted && (safeMode || !transientKind);
    if (!quarantine) {
      LOG.warn("Submission {} of dataset {} failed after {} rows were emitted; restarting from the last checkpoint "
          + "to discard them (the replay checks each submission before emitting)", event.submissionId(),
          event.datasetId(), counts.accepted + counts.rejected + counts.duplicates, failure);
      if (failure instanceof Exception e) {
        throw e;
      }
      throw new IllegalStateException("submission " + event.submissionId() + " failed", failure);
    }
    String reason = BoundedNumbers.shorten("processing failed (" + failure.getClass().getSimpleName() + ")")
        + "; the submission was quarantined and nothing of it was stored. Please report it with submission id "
        + event.submissionId();
    LOG.error("Submission {} of dataset {} quarantined: {}", event.submissionId(), event.datasetId(), reason, failure);
    ctx.output(status, statusRow(event, SubmissionState.FAILED, counts, reason, now));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    // Every event replayed after the failure came before this checkpoint's barrier: back to one pass.
    if (safeMode) {
      LOG.info("Ingestion back to single-pass processing after checkpoint {}", checkpointId);
      safeMode = false;
    }
  }

  private static boolean needsPrecheck(SubmissionEvent event) {
    return event.format() == DataFormat.PARQUET || DataFormat.isArchive(event.contentType());
  }

  static final class Counts {
    long accepted;
    long rejected;
    long duplicates;

    boolean nothingEmitted() {
      return accepted == 0 && rejected == 0 && duplicates == 0;
    }
  }

  /** Parse-only pass: visits everything, keeps nothing. */
  enum CountingVisitor implements RecordVisitor {
    INSTANCE;

    @Override
    public boolean onRecord(ParsedRecord record) {
      return true;
    }

    @Override
    public boolean onRejection(Rejection rejection) {
      return true;
    }
  }

  /** The platform, not the submission, failed (state backend): retried by a restart, never quarantined first. */
  static final class InfrastructureFailure extends RuntimeException {
    InfrastructureFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Safe mode's first pass: runs the per-record work without emitting or touching state. */
  private final class ProcessingVisitor implements RecordVisitor {
    private final RecordProcessor processor;

    ProcessingVisitor(SubmissionEvent event) {
      this.processor = new RecordProcessor(event.schema(), namer);
    }

    @Override
    public boolean onRecord(ParsedRecord record) {
      processor.process(record);
      return true;
    }

    @Override
    public boolean onRejection(Rejection rejection) {
      return true;
    }
  }

  private final class Emitter implements RecordVisitor, ParsedRange.Reader {
    private final SubmissionEvent event;
    private final Instant now;
    private final Counts counts;
    private final Collector<RowData> out;
    private final Context ctx;
    private final RecordProcessor processor;

    Emitter(SubmissionEvent event, Instant now, Counts counts, Collector<RowData> out, Context ctx) {
      this.processor = new RecordProcessor(event.schema(), namer);
      this.event = event;
      this.now = now;
      this.counts = counts;
      this.out = out;
      this.ctx = ctx;
    }

    @Override
    public boolean onRecord(ParsedRecord record) {
      RecordProcessor.Outcome outcome = processor.process(record);
      if (!outcome.isAccepted()) {
        return onRejection(outcome.rejection());
      }
      accepted(record.position(), outcome.accepted().name(), outcome.accepted().canonicalJson());
      return true;
    }

    @Override
    public void rejected(Rejection rejection) {
      onRejection(rejection);
    }

    /** An accepted record, validated and named: dropped if the dataset has it, else emitted. */
    @Override
    public void accepted(RecordPosition position, String cid, byte[] canonical) {
      try {
        if (seen.contains(cid)) {
          counts.duplicates++;
          return;
        }
        seen.put(cid, Boolean.TRUE);
      } catch (Exception e) {
        throw new InfrastructureFailure("keyed state access failed for dataset " + event.datasetId(), e);
      }
      counts.accepted++;
      out.collect(
          recordLayout.row()
              .set("record_cid", cid)
              .set("dataset_id", event.datasetId())
              .set("submission_id", event.submissionId())
              .set("contributor", event.contributor())
              .set("content_cid", event.cid())
              .set("position", position.toString())
              .setUtf8("record_json", canonical)
              .set("byte_size", canonical.length)
              .set("ingested_at", now)
              .build());
    }

    @Override
    public boolean onRejection(Rejection rejection) {
      counts.rejected++;
      ctx.output(
          rejections,
          rejectionRow(event, rejection.position(), rejection.code().name(), rejection.reason(), now));
      return true;
    }
  }

  /** @param position null for a rejection of the whole upload */
  private RowData rejectionRow(SubmissionEvent event, RecordPosition position, String code, String reason,
      Instant now) {
    var row = rejectionLayout.row()
        .set("submission_id", event.submissionId())
        .set("dataset_id", event.datasetId())
        .set("contributor", event.contributor())
        .set("content_cid", event.cid())
        .set("position", position == null ? "" : position.toString())
        .set("reason_code", code)
        .set("reason", reason)
        .set("rejected_at", now);
    if (position != null) {
      row.set("entry", position.entry())
          .set("record_ordinal", position.ordinal())
          .set("line_number", position.line())
          .set("byte_offset", position.byteOffset());
    }
    return row.build();
  }

  private RowData statusRow(SubmissionEvent event, SubmissionState state, Counts counts, String error, Instant now) {
    return statusLayout.row()
        .set("submission_id", event.submissionId())
        .set("dataset_id", event.datasetId())
        .set("contributor", event.contributor())
        .set("content_cid", event.cid())
        .set("byte_count", event.byteCount())
        .set("format", event.format().id())
        .set("status", state.id())
        .set("received_at", event.receivedAt())
        .set("updated_at", now)
        .set("accepted_records", counts.accepted)
        .set("rejected_records", counts.rejected)
        .set("duplicate_records", counts.duplicates)
        .set("error", error)
        .build();
  }

  @Override
  public void close() throws Exception {
    if (source instanceof AutoCloseable c) {
      c.close();
    }
  }
}
