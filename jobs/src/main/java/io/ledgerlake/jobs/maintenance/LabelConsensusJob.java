package io.ledgerlake.jobs.maintenance;

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
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.stage.ConsensusJob;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.util.List;
import java.util.Locale;

/**
 * {@code ledgerlake label consensus --dataset ID}: majority vote and Dawid-Skene over the dataset's annotations into
 * label.consensus, under the runner's run id (the consensus rows carry it, so a training run that read them can be
 * traced to this run).
 */
public final class LabelConsensusJob implements Job<LabelConsensusJob.Params, LabelConsensusJob.Result> {
  public static final String NAME = "label-consensus";

  public record Params(String datasetId) implements JobParams {
    public Params {
      requireNonNull(datasetId, "datasetId");
    }

    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("dataset", datasetId);
    }
  }

  public record Result(ConsensusJob.Result consensus, long consensusSnapshot) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return consensus.rows() == 0 ? List.of()
          : List.of(JobOutput.table(TableModel.LABEL_CONSENSUS.qualifiedName(), consensusSnapshot));
    }

    @Override
    public long recordsOut() {
      return consensus.rows();
    }

    @Override
    public ObjectNode details() {
      ObjectNode n = JsonNodeFactory.instance.objectNode().put("rows", consensus.rows());
      ObjectNode methods = n.putObject("methods");
      consensus.byMethod().forEach((m, c) -> methods.putObject(m.name().toLowerCase(Locale.ROOT))
          .put("records", c.consensus().size()).put("votes", c.votes()).put("krippendorff_alpha", c.krippendorffAlpha()));
      return n;
    }
  }

  private final LabelingOptions options;

  public LabelConsensusJob(LabelingOptions options) {
    this.options = requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    context.lakehouse().init();
    return PinnedInputs.of(PinnedInput.currentSnapshot(context.lakehouse(), TableModel.LABEL_ANNOTATIONS));
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    ConsensusJob.Result r = new ConsensusJob(context.lakehouse(), options).run(params.datasetId(),
        context.runId().toString());
    return new Result(r, PinnedInput.currentSnapshot(context.lakehouse(), TableModel.LABEL_CONSENSUS).snapshotId());
  }
}
