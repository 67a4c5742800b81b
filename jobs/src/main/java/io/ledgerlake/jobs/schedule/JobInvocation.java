package io.ledgerlake.jobs.schedule;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.RunOrigin;

/**
 * A job bound to its typed parameters, ready for the runner: what a schedule's stored JSON parameters become.
 * {@code resources} (may be null) is what binding opened for this one run (a chain client, an indexer); the scheduler
 * closes it when the attempt has ended, also after a timeout (once the job's thread has returned).
 */
public record JobInvocation<P extends JobParams, R extends JobResult>(Job<P, R> job, P params,
    AutoCloseable resources) {
  public JobInvocation {
    requireNonNull(job, "job");
    requireNonNull(params, "params");
  }

  public JobInvocation(Job<P, R> job, P params) {
    this(job, params, null);
  }

  R run(JobRunner runner, RunOrigin origin) throws Exception {
    return runner.run(job, params, origin);
  }
}
