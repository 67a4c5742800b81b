package io.ledgerlake.jobs;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.Lakehouse;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.UUID;

/**
 * What a running job gets from the runner: the lakehouse it reads and writes, where to print progress (a CLI's
 * stdout, a scheduler's log), the clock, and its run id (also its OpenLineage run id). Immutable.
 */
public record JobContext(Lakehouse lakehouse, PrintWriter progress, Clock clock, UUID runId) {
  public JobContext {
    requireNonNull(lakehouse, "lakehouse");
    requireNonNull(progress, "progress");
    requireNonNull(clock, "clock");
    requireNonNull(runId, "runId");
  }
}
