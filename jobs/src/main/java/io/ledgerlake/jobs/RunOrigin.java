package io.ledgerlake.jobs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Who started a run, when it was not a person at a prompt: a schedule's id, the trigger that fired (a cron fire time,
 * a publish run, a chained job's run, run-now) and the attempt under the retry policy. Recorded by {@link JobRunner}
 * under {@code "origin"} at the top level of {@code ops.job_runs.params_json}, so runs of a schedule can be found
 * with SQL without a schema change. The caller chooses the run id so that it can link its own records to the row.
 */
public record RunOrigin(UUID runId, String scheduleId, String trigger, Instant fireTime, int attempt) {
  public static final String KEY = "origin";

  public RunOrigin {
    requireNonNull(runId, "runId");
    requireNonNull(scheduleId, "scheduleId");
    requireNonNull(trigger, "trigger");
    requireNonNull(fireTime, "fireTime");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
    }
  }

  ObjectNode toJson() {
    return JobRunRecord.MAPPER.createObjectNode()
        .put("schedule_id", scheduleId)
        .put("trigger", trigger)
        .put("fire_time", fireTime.toString())
        .put("attempt", attempt);
  }
}
