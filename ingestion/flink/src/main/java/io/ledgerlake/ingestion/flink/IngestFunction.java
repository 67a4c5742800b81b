package io.ledgerlake.ingestion.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import io.ledgerlake.ingestion.format.ContentInput;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.format.UploadParser;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordNamer;
import io.ledgerlake.ingestion.record.RecordProcessor;
import io.ledgerlake.ingestion.record.RecordVisitor;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.status.SubmissionState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
final class IngestFunction extends KeyedProcessFunction<String, SubmissionBytes, RowData> {
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
    requireNonNull(limits, "limits");
    this.limits =
        new long[] {
          limits.maxRecordBytes(),
          limits.maxDocumentBytes(),
          limits.archiveMaxEntries(),
          limits.archiveMaxExpandedBytes(),
          limits.archiveMaxCompressionRatio()
        };
    this.recordLayout = recordLayout;
    this.rejectionLayout = rejectionLayout;
    this.statusLayout = statusLayout;
  }

  @Override
  public void open(OpenContext context) {
    // Per dataset (the key): record CIDs already ingested. Grows with the dataset; see
    // docs/decisions/ingestion-flink-job.md for why no TTL is set.
    seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-record-cids", Types.STRING, Types.BOOLEAN));
    source = content.openSource();
    namer = content.namer();
    parser = UploadParser.create(new ParseLimits(limits[0], limits[1], limits[2], limits[3], limits[4]));
  }

  @Override
  public void processElement(SubmissionBytes value, Context ctx, Collector<RowData> out) throws Exception {
    SubmissionEvent event = SubmissionEventSerializer.deserialize(value.event);
    Instant now = Instant.now();
    Counts counts = new Counts();
    try {
      ContentInput input = source.open(event.cid());
      if (needsPrecheck(event)) {
        parser.parse(event.format(), event.contentType(), input, CountingVisitor.INSTANCE);
      }
      parser.parse(event.format(), event.contentType(), input, new Emitter(event, now, counts, out, ctx));
    } catch (IngestionException e) {
      if (counts.accepted > 0) {
        // The precheck passed but the real pass failed: not a property of the upload. Restart
        // from the last checkpoint rather than commit part of it.
        throw e;
      }
      LOG.info("Submission {} rejected as a whole: {}", event.submissionId(), e.getMessage());
      ctx.output(rejections, rejectionRow(event, "", e.code(), e.getMessage(), now));
      ctx.output(status, statusRow(event, SubmissionState.REJECTED, counts, e.getMessage(), now));
      return;
    } catch (NoSuchFileException e) {
      String msg = "content " + event.cid() + " is not in the content store; re-upload the file";
      LOG.warn("Submission {} failed: {}", event.submissionId(), msg);
      ctx.output(status, statusRow(event, SubmissionState.FAILED, counts, msg, now));
      return;
    }
    ctx.output(status, statusRow(event, SubmissionState.INGESTED, counts, null, now));
    LOG.info(
        "Ingested submission {} of dataset {}: {} accepted, {} rejected, {} duplicates",
        event.submissionId(), event.datasetId(), counts.accepted, counts.rejected, counts.duplicates);
  }

  private static boolean needsPrecheck(SubmissionEvent event) {
    String type = DataFormat.normalizeMediaType(event.contentType());
    return event.format() == DataFormat.PARQUET
        || DataFormat.ZIP_MEDIA_TYPE.equals(type)
        || DataFormat.TAR_MEDIA_TYPE.equals(type);
  }

  static final class Counts {
    long accepted;
    long rejected;
    long duplicates;
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

  private final class Emitter implements RecordVisitor {
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
      byte[] canonical = outcome.accepted().canonicalJson();
      String cid = outcome.accepted().name();
      try {
        if (seen.contains(cid)) {
          counts.duplicates++;
          return true;
        }
        seen.put(cid, Boolean.TRUE);
      } catch (Exception e) {
        throw new IllegalStateException("keyed state access failed for dataset " + event.datasetId(), e);
      }
      counts.accepted++;
      out.collect(
          recordLayout.row()
              .set("record_cid", cid)
              .set("dataset_id", event.datasetId())
              .set("submission_id", event.submissionId())
              .set("contributor", event.contributor())
              .set("content_cid", event.cid())
              .set("position", record.position().toString())
              .set("record_json", new String(canonical, StandardCharsets.UTF_8))
              .set("byte_size", canonical.length)
              .set("ingested_at", now)
              .build());
      return true;
    }

    @Override
    public boolean onRejection(Rejection rejection) {
      counts.rejected++;
      ctx.output(
          rejections,
          rejectionRow(event, rejection.position().toString(), rejection.code().name(), rejection.reason(), now));
      return true;
    }
  }

  private RowData rejectionRow(SubmissionEvent event, String position, String code, String reason, Instant now) {
    return rejectionLayout.row()
        .set("submission_id", event.submissionId())
        .set("dataset_id", event.datasetId())
        .set("contributor", event.contributor())
        .set("content_cid", event.cid())
        .set("position", position)
        .set("reason_code", code)
        .set("reason", reason)
        .set("rejected_at", now)
        .build();
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
