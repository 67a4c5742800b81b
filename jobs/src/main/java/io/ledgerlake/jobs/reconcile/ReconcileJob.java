package io.ledgerlake.jobs.reconcile;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInput;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;

/**
 * {@code reconcile} on the Job contract: pins the chain tables and ops.job_runs at their current snapshots, then
 * {@link Reconciler} checks chain, lakehouse and content store as of exactly those. A run that finds discrepancies
 * succeeds (it did its work); its details count them, and the CLI exits 1.
 */
public final class ReconcileJob implements Job<ReconcileJob.Params, ReconcileJob.Result> {
  public static final String NAME = "reconcile";

  /** No parameters: reconcile checks everything. */
  public record Params() implements JobParams {
    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode();
    }
  }

  public record Result(ReconcileReport report, long reconciliationSnapshot) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return reconciliationSnapshot < 0 ? List.of()
          : List.of(JobOutput.table(TableModel.OPS_RECONCILIATION.qualifiedName(), reconciliationSnapshot));
    }

    @Override
    public long recordsOut() {
      return report.items().size();
    }

    @Override
    public ObjectNode details() {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("reconcile_run_id", report.runId());
      out.put("discrepancies", report.discrepancies().size());
      ObjectNode counts = out.putObject("counts");
      report.counts().forEach((status, n) -> counts.put(status.name(), n));
      return out;
    }
  }

  private final Reconciler reconciler;

  public ReconcileJob(Reconciler reconciler) {
    this.reconciler = requireNonNull(reconciler, "reconciler");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    // Older lakehouses lack ops.reconciliation: creating missing tables is idempotent.
    context.lakehouse().init();
    List<PinnedInput> inputs = new ArrayList<>();
    for (TableDefinition def : Reconciler.READS) {
      inputs.add(PinnedInput.currentSnapshot(context.lakehouse(), def));
    }
    return new PinnedInputs(inputs);
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    Map<String, Long> snapshots = new LinkedHashMap<>();
    inputs.all().forEach(i -> snapshots.put(i.table(), i.snapshotId()));
    ReconcileReport report = reconciler.runPinned(snapshots, context.runId().toString());
    Table reconciliation = context.lakehouse().table(TableModel.OPS_RECONCILIATION);
    reconciliation.refresh();
    return new Result(report, report.items().isEmpty() || reconciliation.currentSnapshot() == null ? -1
        : reconciliation.currentSnapshot().snapshotId());
  }
}
