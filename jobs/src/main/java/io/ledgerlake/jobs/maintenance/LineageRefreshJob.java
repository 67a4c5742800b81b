package io.ledgerlake.jobs.maintenance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInput;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.lineage.LineageClosure;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.util.List;

/**
 * {@code ledgerlake lineage refresh}: rebuilds lineage.closure from lineage.edges and the on-chain parent links
 * (chain.asset_versions) when either changed since the closure was built, or always with an explicit depth.
 */
public final class LineageRefreshJob implements Job<LineageRefreshJob.Params, LineageRefreshJob.Result> {
  public static final String NAME = "lineage-refresh";

  /** {@code maxDepth} 0: the default depth, and only if the inputs changed. */
  public record Params(int maxDepth) implements JobParams {
    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("max_depth", maxDepth);
    }
  }

  public record Result(LineageClosure.Refresh refresh) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return !refresh.rebuilt() || refresh.closureSnapshotId() < 0 ? List.of()
          : List.of(JobOutput.table(TableModel.LINEAGE_CLOSURE.qualifiedName(), refresh.closureSnapshotId()));
    }

    @Override
    public long recordsOut() {
      return Math.max(0, refresh.rows());
    }

    @Override
    public ObjectNode details() {
      return JsonNodeFactory.instance.objectNode().put("rebuilt", refresh.rebuilt()).put("rows", refresh.rows());
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    context.lakehouse().init();
    return PinnedInputs.of(PinnedInput.currentSnapshot(context.lakehouse(), TableModel.LINEAGE_EDGES),
        PinnedInput.currentSnapshot(context.lakehouse(), TableModel.CHAIN_ASSET_VERSIONS));
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    return new Result(params.maxDepth() > 0 ? LineageClosure.refresh(context.lakehouse(), params.maxDepth())
        : LineageClosure.refresh(context.lakehouse()));
  }
}
