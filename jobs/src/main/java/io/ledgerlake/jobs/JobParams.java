package io.ledgerlake.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A job's parameters, recorded with every run ({@code ops.job_runs.params_json}, under {@code "params"}). Implement on
 * an immutable record; {@link #toJson} is what a scheduler or a rerun needs to run the job again the same way.
 */
public interface JobParams {
  /** The parameters as JSON; the format is versioned by {@link JobRunRecord#FORMAT_VERSION} of the run record. */
  ObjectNode toJson();
}
