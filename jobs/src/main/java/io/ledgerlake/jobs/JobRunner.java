package io.ledgerlake.jobs;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.lineage.LineageEdge;
import io.ledgerlake.lakehouse.lineage.LineageEvents;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a batch job runs. Per run: the job pins its inputs; a START event goes to {@code lineage.events}; the
 * job runs; then exactly one {@code ops.job_runs} row is written (status {@code succeeded} or {@code failed}, inputs
 * with snapshot ids, outputs, parameters and details as a versioned {@link JobRunRecord}, error and its category),
 * with a COMPLETE event (and the edges the job reported, in {@code lineage.edges}) or a FAIL event.
 *
 * <p>A failure of the job is recorded and rethrown unchanged, so callers keep their error handling (the CLI's exit
 * codes come from the same {@link ErrorCategory}). A failure while recording a failure is added as suppressed. A
 * process killed mid-run leaves a START event without a row: {@code lineage.events} shows runs that never ended.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final int MAX_ERROR_CHARS = 2000;

  private final Lakehouse lakehouse;
  private final PrintWriter progress;
  private final Clock clock;

  public JobRunner(Lakehouse lakehouse, PrintWriter progress, Clock clock) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.progress = requireNonNull(progress, "progress");
    this.clock = requireNonNull(clock, "clock");
  }

  public JobRunner(Lakehouse lakehouse, PrintWriter progress) {
    this(lakehouse, progress, Clock.systemUTC());
  }

  /** Runs {@code job} with {@code params}; returns its result, or rethrows its failure after recording it. */
  public <P extends JobParams, R extends JobResult> R run(Job<P, R> job, P params) throws Exception {
    return run(job, params, null);
  }

  /**
   * Runs {@code job} as {@link #run(Job, JobParams)} does, recording who started it ({@code origin}, may be null) with
   * the run, under the origin's run id.
   */
  public <P extends JobParams, R extends JobResult> R run(Job<P, R> job, P params, RunOrigin origin)
      throws Exception {
    requireNonNull(job, "job");
    requireNonNull(params, "params");
    UUID runId = origin != null ? origin.runId() : UUID.randomUUID();
    JobContext context = new JobContext(lakehouse, progress, clock, runId);
    OffsetDateTime started = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    PinnedInputs inputs = PinnedInputs.none();
    R result = null;
    try {
      inputs = requireNonNull(job.inputs(params, context), "inputs");
      event(job, runId, LineageEvents.EventType.START, inputs, null, null);
      LOG.info("Job {} run {} started on {}", job.name(), runId, inputs.all());
      result = requireNonNull(job.run(params, inputs, context), "result");
    } catch (Exception | Error failure) {
      recordFailure(job, runId, started, params, origin, inputs, failure);
      throw failure;
    }
    OffsetDateTime finished = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    LineageEdge.append(lakehouse, result.edges(), runId.toString(), finished);
    row(job, runId, "succeeded", started, finished, params, origin, inputs, result, null);
    event(job, runId, LineageEvents.EventType.COMPLETE, inputs, result, null);
    LOG.info("Job {} run {} succeeded: {}", job.name(), runId, result.outputs());
    return result;
  }

  private void recordFailure(Job<?, ?> job, UUID runId, OffsetDateTime started, JobParams params, RunOrigin origin,
      PinnedInputs inputs, Throwable failure) {
    ErrorCategory category = ErrorCategory.of(failure);
    String message = describe(failure);
    try {
      OffsetDateTime finished = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
      row(job, runId, "failed", started, finished, params, origin, inputs, null, failure);
      event(job, runId, LineageEvents.EventType.FAIL, inputs, null, message);
    } catch (RuntimeException recording) {
      failure.addSuppressed(recording);
    }
    if (category == ErrorCategory.USER_ERROR) {
      LOG.info("Job {} run {} failed ({}): {}", job.name(), runId, category, message);
    } else {
      LOG.warn("Job {} run {} failed ({}): {}", job.name(), runId, category, message, failure);
    }
  }

  private void row(Job<?, ?> job, UUID runId, String status, OffsetDateTime started, OffsetDateTime finished,
      JobParams params, RunOrigin origin, PinnedInputs inputs, JobResult result, Throwable failure) {
    Table runs = lakehouse.table(TableModel.OPS_JOB_RUNS);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("run_id", runId.toString());
    v.put("job_name", job.name());
    v.put("status", status);
    v.put("started_at", started);
    v.put("finished_at", finished);
    List<String> in = inputs.all().stream().map(PinnedInput::toString).toList();
    v.put("inputs", in);
    v.put("input_ref", in.isEmpty() ? null : String.join(",", in));
    if (result != null) {
      List<String> out = result.outputs().stream().map(JobOutput::toString).toList();
      v.put("outputs", out);
      v.put("output_ref", out.isEmpty() ? null : String.join(",", out));
      v.put("records_in", result.recordsIn() < 0 ? null : result.recordsIn());
      v.put("records_out", result.recordsOut() < 0 ? null : result.recordsOut());
    } else {
      v.put("outputs", List.of());
    }
    v.put("params_json", JobRunRecord.toJson(params, result, origin));
    if (failure != null) {
      v.put("error", describe(failure));
      v.put("error_category", ErrorCategory.of(failure).name());
    }
    TableAppender.append(runs, List.of(Rows.of(runs.schema(), v)));
  }

  private void event(Job<?, ?> job, UUID runId, LineageEvents.EventType type, PinnedInputs inputs, JobResult result,
      String error) {
    List<LineageEvents.TableOutput> inTables = new ArrayList<>();
    List<String> inCids = new ArrayList<>();
    for (PinnedInput i : inputs.all()) {
      if (i.cid() != null) {
        inCids.add(i.cid());
      } else {
        inTables.add(new LineageEvents.TableOutput(i.table(), i.snapshotId()));
      }
    }
    List<LineageEvents.TableOutput> outTables = new ArrayList<>();
    List<String> outCids = new ArrayList<>();
    if (result != null) {
      for (JobOutput o : result.outputs()) {
        if (o.cid() != null) {
          outCids.add(o.cid());
        } else {
          outTables.add(new LineageEvents.TableOutput(o.table(), o.snapshotId()));
        }
      }
    }
    LineageEvents.record(lakehouse, new LineageEvents.JobEvent(runId, job.name(), type,
        ZonedDateTime.now(clock), inTables, inCids, outTables, outCids, error));
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 1) + "…";
  }
}
