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
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.stage.LabelingStage;
import io.ledgerlake.labeling.stage.LabelingStageOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.util.List;

/**
 * {@code ledgerlake label run}: labels every ingest.records row added since the labeling cursor (exactly once, under
 * the labeling writer lock), without Flink. The pinned input is the ingest.records snapshot current when the run
 * starts; the stage labels up to the snapshot it reads then.
 */
public final class LabelRunJob implements Job<LabelRunJob.Params, LabelRunJob.Result> {
  public static final String NAME = "label-run";

  /** No parameters: the cursor decides what is new. */
  public record Params() implements JobParams {
    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode();
    }
  }

  /** What the run labeled. */
  public record Result(LabelingStage.Summary summary, long labelsSnapshot) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return summary.commits() == 0 ? List.of()
          : List.of(JobOutput.table(TableModel.LABEL_LABELS.qualifiedName(), labelsSnapshot));
    }

    @Override
    public long recordsIn() {
      return summary.records();
    }

    @Override
    public long recordsOut() {
      return summary.labelRows();
    }

    @Override
    public ObjectNode details() {
      ObjectNode n = JsonNodeFactory.instance.objectNode().put("records", summary.records())
          .put("label_rows", summary.labelRows()).put("commits", summary.commits());
      if (summary.cursor() != null) {
        n.put("cursor", summary.cursor());
      }
      return n;
    }
  }

  private final LabelingOptions options;
  private final LabelingStageOptions stageOptions;

  public LabelRunJob(LabelingOptions options, LabelingStageOptions stageOptions) {
    this.options = requireNonNull(options, "options");
    this.stageOptions = requireNonNull(stageOptions, "stageOptions");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    context.lakehouse().init();
    return PinnedInputs.of(PinnedInput.currentSnapshot(context.lakehouse(), TableModel.INGEST_RECORDS));
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    LabelingStage.Summary s = new LabelingStage(context.lakehouse(), new LabelingPipeline(options), stageOptions).runOnce();
    context.progress().printf("labeled %d record(s), %d label row(s) in %d commit(s); up to ingest.records snapshot %s%n",
        s.records(), s.labelRows(), s.commits(), s.cursor() == null ? "-" : s.cursor());
    return new Result(s, PinnedInput.currentSnapshot(context.lakehouse(), TableModel.LABEL_LABELS).snapshotId());
  }
}
