package io.ledgerlake.cli.ingest;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.lakehouse.LakehouseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Upload files to a dataset (resumable), with a progress bar; prints each submission id and CID.")
public final class SubmitCommand extends LakehouseCommand {
  @Option(names = "--dataset", required = true, paramLabel = "ID")
  String dataset;

  @Option(names = "--url", description = "Upload API URL (default: the local platform).")
  String url;

  @Parameters(arity = "1..*", paramLabel = "PATH")
  List<Path> paths;

  @Override
  public Integer call() throws Exception {
    for (Path p : paths) {
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "%s is not a readable file", p);
      }
    }
    IngestionClient client = new IngestionClient(IngestSettings.apiUrl(settings(), url), LoginCommand.token(settings()));
    for (Path p : paths) {
      long size = Files.size(p);
      IngestionClient.UploadResult r = client.upload(dataset, p, null, sent -> progress(p, sent, size));
      err().println();
      out().printf("%s  %s  %s%s%n", r.submissionId(), r.cid(), p, r.duplicate() ? "  (duplicate: already submitted)" : "");
      out().flush();
    }
    return 0;
  }

  private void progress(Path p, long sent, long size) {
    int width = 30;
    int filled = size == 0 ? width : (int) Math.min(width, sent * width / size);
    err().printf("\r%s [%s%s] %d/%d bytes", p.getFileName(), "#".repeat(filled), " ".repeat(width - filled), sent, size);
    err().flush();
  }
}
