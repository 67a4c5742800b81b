package io.ledgerlake.jobs;

/**
 * A batch job: a stable name, typed parameters, inputs pinned before it runs, and a typed result. Every job runs
 * through {@link JobRunner}, which records it (one {@code ops.job_runs} row, OpenLineage START and COMPLETE/FAIL events
 * in {@code lineage.events}, the lineage edges it reports) and maps its failures to error categories. The CLI, the
 * scheduler and orchestrators see only this contract.
 *
 * <p>Rules, after Airflow's for tasks: a job works on explicit inputs ({@link #inputs} returns table snapshots or
 * dataset tags resolved to snapshot ids, never "latest"), records its parameters with the run, and a rerun on the same
 * inputs changes nothing it has already done.
 *
 * @param <P> parameters: an immutable record, serialized with the run ({@link JobParams})
 * @param <R> result
 */
public interface Job<P extends JobParams, R extends JobResult> {
  /** Stable across runs and versions: the OpenLineage job name and {@code ops.job_runs.job_name}. */
  String name();

  /**
   * Resolves what the run will read, before it starts: each input pinned to a snapshot (or a content CID). Called
   * once by the runner; the same list is passed to {@link #run} and recorded with the run.
   */
  PinnedInputs inputs(P params, JobContext context);

  /** Does the work on exactly {@code inputs}. Throw to fail; the runner records the failure and rethrows. */
  R run(P params, PinnedInputs inputs, JobContext context) throws Exception;
}
