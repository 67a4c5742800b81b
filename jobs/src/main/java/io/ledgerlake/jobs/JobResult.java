package io.ledgerlake.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.lakehouse.lineage.LineageEdge;
import java.util.List;

/** What a run produced, as the runner records it. Jobs return their own richer result types implementing this. */
public interface JobResult {
  /** Table snapshots and content the run wrote ({@code <table>@<snapshot>}, {@code ipfs://<cid>}). */
  List<JobOutput> outputs();

  /** Records read, or -1 when not meaningful. */
  default long recordsIn() {
    return -1;
  }

  /** Records written, or -1 when not meaningful. */
  default long recordsOut() {
    return -1;
  }

  /**
   * What the run did, for readers of {@code ops.job_runs} (written at the top level of {@code params_json} next to
   * {@code "params"}; e.g. publish's asset, version and transaction hashes). Empty by default.
   */
  default ObjectNode details() {
    return JobRunRecord.MAPPER.createObjectNode();
  }

  /** Lineage edges the run established; the runner appends them to {@code lineage.edges} with the run id. */
  default List<LineageEdge> edges() {
    return List.of();
  }
}
