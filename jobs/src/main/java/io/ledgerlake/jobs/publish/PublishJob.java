package io.ledgerlake.jobs.publish;

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
import io.ledgerlake.lakehouse.tables.TableModel;
import java.util.List;
import org.apache.iceberg.Table;

/**
 * {@code publish} on the Job contract: pins the current ingest.records snapshot, then {@link DatasetPublisher} tags
 * exactly that snapshot as the next version, registers it on chain with its receipts and records lineage. The run's
 * details in ops.job_runs keep the fields earlier publish runs had (readers of both are unchanged).
 */
public final class PublishJob implements Job<PublishJob.Params, PublishJob.Result> {
  /** Which dataset to publish. */
  public record Params(String datasetId) implements JobParams {
    public Params {
      requireNonNull(datasetId, "datasetId");
    }

    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("dataset", datasetId);
    }
  }

  /** The publication, as the runner records it. */
  public record Result(DatasetPublisher.Result publication, VersionShares.Inputs shareInputs) implements JobResult {
    @Override
    public List<JobOutput> outputs() {
      return List.of(JobOutput.content(publication.manifestCid()));
    }

    @Override
    public long recordsIn() {
      return publication.records();
    }

    @Override
    public long recordsOut() {
      return publication.records();
    }

    @Override
    public ObjectNode details() {
      return DatasetPublisher.runDetails(publication, shareInputs);
    }
  }

  private final DatasetPublisher publisher;

  public PublishJob(DatasetPublisher publisher) {
    this.publisher = requireNonNull(publisher, "publisher");
  }

  @Override
  public String name() {
    return DatasetPublisher.JOB_NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    Table records = context.lakehouse().table(TableModel.INGEST_RECORDS);
    records.refresh();
    long snapshot = records.currentSnapshot() == null ? -1 : records.currentSnapshot().snapshotId();
    return PinnedInputs.of(PinnedInput.snapshot(TableModel.INGEST_RECORDS.qualifiedName(), snapshot));
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    return publisher.publishPinned(params.datasetId(), inputs.snapshotOf(TableModel.INGEST_RECORDS.qualifiedName()),
        context.runId().toString());
  }
}
