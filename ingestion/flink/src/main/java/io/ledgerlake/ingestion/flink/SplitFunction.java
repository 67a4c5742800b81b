package io.ledgerlake.ingestion.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import io.ledgerlake.ingestion.format.ArchiveParser;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.format.UploadParser;
import io.ledgerlake.ingestion.format.LineRanges;
import java.io.IOException;
import java.io.InputStream;
import io.ledgerlake.ingestion.parquet.ParquetFormatParser;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers the submissions of each dataset in log order and cuts a large JSON Lines or CSV upload into byte ranges at
 * record boundaries ({@link LineRanges}), and a large Parquet upload into runs of row groups (read from its footer),
 * and a large .zip or .tar into runs of files (listed and checked as a whole first, see {@link ArchiveParser}), for
 * the parsing subtasks; everything else (documents, small uploads) goes on whole. Every range of a submission is
 * emitted in one {@code processElement}, so all of them precede the next checkpoint barrier: with aligned
 * checkpoints, the whole submission lands in one Iceberg commit, as in the sequential job.
 *
 * <p>The cut is one pass over the bytes looking for newlines (no parsing), or a read of a Parquet footer, a zip's
 * central directory or a tar's headers: the parsing subtasks then read only their range. Content that cannot be read
 * here goes on whole, and the dedup step reports it as the sequential job does.
 */
final class SplitFunction extends KeyedProcessFunction<String, SubmissionBytes, ParseTask> {
  private static final Logger LOG = LoggerFactory.getLogger(SplitFunction.class);

  private final ContentAccess content;
  private final int parseParallelism;
  private final long splitMinBytes;
  private final long splitBytes;

  // ParseLimits is a plain record (not Serializable): its values travel with the operator.
  private final long[] limits;

  private transient ValueState<Long> nextSeq;
  private transient ContentSource source;
  private transient ArchiveParser archives;

  SplitFunction(ContentAccess content, ParseLimits limits, IngestionJobOptions options) {
    this.content = requireNonNull(content, "content");
    this.limits = IngestFunction.limitValues(limits);
    this.parseParallelism = options.parseParallelism();
    this.splitMinBytes = options.splitMinBytes();
    this.splitBytes = options.splitBytes();
  }

  @Override
  public void open(OpenContext context) {
    nextSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("next-submission-seq", Types.LONG));
    source = content.openSource();
    archives = UploadParser.create(IngestFunction.limitsOf(limits)).archives();
  }

  @Override
  public void processElement(SubmissionBytes value, Context ctx, Collector<ParseTask> out) throws Exception {
    Long stored = nextSeq.value();
    long seq = stored == null ? 0 : stored;
    nextSeq.update(seq + 1);
    SubmissionEvent event = SubmissionEventSerializer.deserialize(value.event);
    List<ParseTask> tasks = splittable(event) ? cut(event, value, seq) : List.of();
    if (tasks.isEmpty() || tasks.get(0).rangeCount < 2) {
      out.collect(ParseTask.whole(value.datasetId, seq, value.event));
      return;
    }
    LOG.info("Submission {} of dataset {} ({} bytes) split into {} ranges for {} parsing subtasks",
        event.submissionId(), event.datasetId(), event.byteCount(), tasks.get(0).rangeCount, parseParallelism);
    tasks.forEach(out::collect);
  }

  private boolean splittable(SubmissionEvent event) {
    return parseParallelism > 1
        && event.byteCount() >= splitMinBytes
        && (event.format() == DataFormat.PARQUET && event.format().mediaTypes().contains(mediaType(event))
            || DataFormat.isArchive(event.contentType())
            || ((event.format() == DataFormat.JSONL || event.format() == DataFormat.CSV)
                && event.format().mediaTypes().contains(mediaType(event))));
  }

  private static String mediaType(SubmissionEvent event) {
    return DataFormat.normalizeMediaType(event.contentType());
  }

  private List<ParseTask> cut(SubmissionEvent event, SubmissionBytes value, long seq) {
    List<ParseTask> tasks = new ArrayList<>();
    try {
      if (DataFormat.isArchive(event.contentType())) {
        return entryTasks(event, value, seq);
      }
      if (event.format() == DataFormat.PARQUET) {
        List<ParquetFormatParser.RowGroups> runs = ParquetFormatParser.rowGroupRanges(source.open(event.cid()),
            splitBytes);
        for (int i = 0; i < runs.size(); i++) {
          tasks.add(ParseTask.rowGroups(value.datasetId, seq, value.event, i, runs.size(), runs.get(i).first(),
              runs.get(i).count()));
        }
        return tasks;
      }
      List<LineRanges.Range> ranges;
      try (InputStream in = source.open(event.cid()).openStream()) {
        ranges = event.format() == DataFormat.CSV ? LineRanges.splitCsv(in, splitBytes)
            : LineRanges.split(in, splitBytes);
      }
      for (int i = 0; i < ranges.size(); i++) {
        LineRanges.Range r = ranges.get(i);
        tasks.add(ParseTask.range(value.datasetId, seq, value.event, i, ranges.size(), r.start(), r.end(),
            r.firstLine()));
      }
      return tasks;
    } catch (IOException | RuntimeException e) {
      // A corrupt Parquet footer or an unsafe archive among them: the whole-upload parse reports it as the
      // sequential job does.
      LOG.warn("Submission {}: could not read its content to split it ({}); parsing it whole",
          event.submissionId(), e.toString());
      return List.of();
    }
  }

  /**
   * An archive in runs of files: first a check of every run, then every run's parse (see {@link ParseTask}). The
   * parsing subtasks take tasks in the order sent, so each has checked its runs before it parses any, and the dedup
   * step holds back little while it waits for the last check.
   */
  private List<ParseTask> entryTasks(SubmissionEvent event, SubmissionBytes value, long seq) throws IOException {
    List<ArchiveParser.Run> runs = ArchiveParser.runs(archives.entries(source.open(event.cid()),
        event.contentType()), splitBytes);
    List<ParseTask> tasks = new ArrayList<>();
    for (boolean check : new boolean[] {true, false}) {
      for (int i = 0; i < runs.size(); i++) {
        tasks.add(ParseTask.entries(value.datasetId, seq, value.event, i, runs.size(), runs.get(i).first(),
            runs.get(i).count(), check));
      }
    }
    return tasks;
  }

  @Override
  public void close() throws Exception {
    if (source instanceof AutoCloseable c) {
      c.close();
    }
  }
}
