package io.ledgerlake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code params_json} of an {@code ops.job_runs} row written by the runner, versioned:
 * {@code {"run_format": 1, "params": {...the job's parameters...}, ...the result's details at the top level}}, plus
 * {@code "origin": {"schedule_id", "trigger", "fire_time", "attempt"}} when a scheduler started the run
 * ({@link RunOrigin}; absent for runs started by hand, so older readers are unaffected).
 * Details stay at the top level because readers of earlier publish runs (the indexer's tags, reconcile) read fields
 * such as {@code version_id} and {@code tag} there; rows written before the runner have no {@code run_format}.
 */
public final class JobRunRecord {
  public static final int FORMAT_VERSION = 1;
  public static final String FORMAT_KEY = "run_format";
  public static final String PARAMS_KEY = "params";

  static final ObjectMapper MAPPER = new ObjectMapper();

  private JobRunRecord() {}

  static String toJson(JobParams params, JobResult result) {
    return toJson(params, result, null);
  }

  static String toJson(JobParams params, JobResult result, RunOrigin origin) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put(FORMAT_KEY, FORMAT_VERSION);
    root.set(PARAMS_KEY, params.toJson());
    if (origin != null) {
      root.set(RunOrigin.KEY, origin.toJson());
    }
    if (result != null) {
      result.details().fields().forEachRemaining(e -> {
        if (!e.getKey().equals(FORMAT_KEY) && !e.getKey().equals(PARAMS_KEY) && !e.getKey().equals(RunOrigin.KEY)) {
          root.set(e.getKey(), e.getValue());
        }
      });
    }
    return root.toString();
  }
}
