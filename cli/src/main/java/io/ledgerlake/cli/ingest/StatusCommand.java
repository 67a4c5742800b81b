package io.ledgerlake.cli.ingest;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.ingestion.client.IngestionClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a submission's status, counts and sample rejections.")
public final class StatusCommand extends LakehouseCommand {
  @Parameters(index = "0", paramLabel = "SUBMISSION_ID")
  String submissionId;

  @Option(names = "--url", description = "Upload API URL (default: the local platform).")
  String url;

  @Override
  public Integer call() throws Exception {
    var json = new IngestionClient(IngestSettings.apiUrl(settings(), url), LoginCommand.token(settings())).status(submissionId);
    out().println(json.toPrettyString());
    return 0;
  }
}
