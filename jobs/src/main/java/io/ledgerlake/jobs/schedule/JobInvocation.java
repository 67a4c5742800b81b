package io.ledgerlake.jobs.schedule;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.RunOrigin;

/** A job bound to its typed parameters, ready for the runner: what a schedule's stored JSON parameters become. */
public record JobInvocation<P extends JobParams, R extends JobResult>(Job<P, R> job, P params) {
  public JobInvocation {
    requireNonNull(job, "job");
    requireNonNull(params, "params");
  }

  R run(JobRunner runner, RunOrigin origin) throws Exception {
    return runner.run(job, params, origin);
  }
}
