package io.ledgerlake.cli.chain;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.jobs.publish.PublishDerivedJob;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Freeze a dataset's records as a version and register it on chain; or, with --model or --index,",
      "register a trained model or a RAG index as a derived asset whose parent is the dataset version it",
      "was built from.",
      "Tags ingest.records as <dataset>-v<n>, stores the version manifest (its CID is the",
      "on-chain commitment), computes data providers' shares pro rata by accepted records",
      "and registers the version with one receipt per contributor."
    })
public final class PublishCommand extends LakehouseCommand {
  @Option(names = "--dataset", paramLabel = "ID", description = "Dataset id.")
  String dataset;

  @Option(names = "--model", paramLabel = "MODEL_ID", description = "A model from 'ledgerlake models' (instead of --dataset).")
  String model;

  @Option(names = "--index", paramLabel = "INDEX_CID", description = "A RAG index from rag.indexes (instead of --dataset).")
  String index;

  @Option(names = "--royalty-bps", defaultValue = "0", paramLabel = "BPS",
      description = "With --model: the royalty the model's own derivatives (fine-tunes) pay it. Default: ${DEFAULT-VALUE}.")
  int royaltyBps;

  @Override
  public Integer call() {
    if ((dataset != null ? 1 : 0) + (model != null ? 1 : 0) + (index != null ? 1 : 0) != 1) {
      throw new io.ledgerlake.lakehouse.LakehouseException(io.ledgerlake.common.ErrorCategory.USER_ERROR,
          "give exactly one of --dataset ID, --model MODEL_ID or --index INDEX_CID");
    }
    if (index != null) {
      try (Lakehouse lakehouse = openLakehouse();
          ProvenanceClient chain = ChainSettings.client(settings(), false)) {
        var r = new io.ledgerlake.jobs.JobRunner(lakehouse, out()).run(
            new PublishDerivedJob(ContentSettings.open(settings()), chain, PublishDerivedJob.Kind.INDEX),
            new PublishDerivedJob.Params(index, royaltyBps));
        out().printf("Index %s is asset %d version %d, derived from %s (version %d)%n", r.id(), r.assetId(),
            r.versionId(), r.datasetTag(), r.parentVersionId());
        return 0;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (model != null) {
      try (Lakehouse lakehouse = openLakehouse();
          ProvenanceClient chain = ChainSettings.client(settings(), false)) {
        var r = new io.ledgerlake.jobs.JobRunner(lakehouse, out()).run(
            new PublishDerivedJob(ContentSettings.open(settings()), chain, PublishDerivedJob.Kind.MODEL),
            new PublishDerivedJob.Params(model, royaltyBps));
        out().printf("Model %s is asset %d version %d, derived from %s (version %d)%n", r.id(), r.assetId(),
            r.versionId(), r.datasetTag(), r.parentVersionId());
        return 0;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    try (Lakehouse lakehouse = openLakehouse();
        ProvenanceClient chain = ChainSettings.client(settings(), false)) {
      DatasetPublisher.Result r =
          new DatasetPublisher(lakehouse, ContentSettings.open(settings()), chain, out(),
              io.ledgerlake.cli.label.LabelSettings.options(settings())).publish(dataset);
      out().printf("Published %s: asset %d version %d, manifest %s, %d records%n", r.tag(), r.assetId(), r.versionId(), r.manifestCid(), r.records());
      r.shares().forEach(s -> out().printf("  %s %s %d bps%n", s.contributor(), s.role().name().toLowerCase(), s.shareBps()));
      // DAGs scheduled on the published-versions Asset run when ledgerlake.airflow.publish-asset-id is set.
      io.ledgerlake.cli.airflow.AirflowCommand.notifyPublished(settings(), out(), dataset, r.tag(), r.manifestCid());
      return 0;
    }
  }
}
