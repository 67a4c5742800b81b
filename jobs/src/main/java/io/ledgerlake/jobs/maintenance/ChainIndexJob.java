package io.ledgerlake.jobs.maintenance;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.indexer.Indexer;
import io.ledgerlake.indexer.RunSummary;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInput;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.util.List;

/**
 * {@code ledgerlake index --once}: one catch-up of the chain indexer (chain.events, then the chain.* state tables).
 * Its input is the chain, not a table: the run's details name the chain and the blocks it indexed.
 */
public final class ChainIndexJob implements Job<ChainIndexJob.Params, ChainIndexJob.Result> {
  public static final String NAME = "chain-index";

  public record Params() implements JobParams {
    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode();
    }
  }

  public record Result(RunSummary summary, long eventsSnapshot) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return summary.commits() == 0 ? List.of()
          : List.of(JobOutput.table(TableModel.CHAIN_EVENTS.qualifiedName(), eventsSnapshot));
    }

    @Override
    public long recordsOut() {
      return summary.eventsIndexed();
    }

    @Override
    public ObjectNode details() {
      return JsonNodeFactory.instance.objectNode().put("chain_id", summary.chainId())
          .put("from_block", summary.fromBlock()).put("indexed_block", summary.indexedBlock())
          .put("head_block", summary.headBlock()).put("events", summary.eventsIndexed()).put("reorgs", summary.reorgs());
    }
  }

  private final Indexer indexer;

  /** Runs {@code indexer}, which the caller opened (and closes). */
  public ChainIndexJob(Indexer indexer) {
    this.indexer = requireNonNull(indexer, "indexer");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    return PinnedInputs.none();
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    RunSummary s = indexer.runOnce();
    return new Result(s, PinnedInput.currentSnapshot(context.lakehouse(), TableModel.CHAIN_EVENTS).snapshotId());
  }
}
