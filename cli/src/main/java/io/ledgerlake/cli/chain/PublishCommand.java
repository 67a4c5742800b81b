package io.ledgerlake.cli.chain;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Freeze a dataset's records as a version and register it on chain.",
      "Tags ingest.records as <dataset>-v<n>, stores the version manifest (its CID is the",
      "on-chain commitment), computes data providers' shares pro rata by accepted records",
      "and registers the version with one receipt per contributor."
    })
public final class PublishCommand extends LakehouseCommand {
  @Option(names = "--dataset", required = true, paramLabel = "ID", description = "Dataset id.")
  String dataset;

  @Override
  public Integer call() {
    try (Lakehouse lakehouse = openLakehouse();
        ProvenanceClient chain = ChainSettings.client(settings(), false)) {
      DatasetPublisher.Result r =
          new DatasetPublisher(lakehouse, ContentSettings.open(settings()), chain, out(),
              io.ledgerlake.cli.label.LabelSettings.options(settings())).publish(dataset);
      out().printf("Published %s: asset %d version %d, manifest %s, %d records%n", r.tag(), r.assetId(), r.versionId(), r.manifestCid(), r.records());
      r.shares().forEach(s -> out().printf("  %s %s %d bps%n", s.contributor(), s.role().name().toLowerCase(), s.shareBps()));
      return 0;
    }
  }
}
