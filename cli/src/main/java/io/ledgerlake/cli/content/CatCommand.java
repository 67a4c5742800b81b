package io.ledgerlake.cli.content;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.content.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "cat",
    mixinStandardHelpOptions = true,
    description = "Write the file named by a CID to standard output, verifying every block.")
public final class CatCommand extends LakehouseCommand {
  @Parameters(index = "0", paramLabel = "CID")
  String cid;

  /** Where the bytes go; standard output unless a test redirects it. */
  static OutputStream sink = System.out;

  @Override
  public Integer call() {
    ContentStore store = ContentSettings.open(settings());
    try (InputStream in = store.open(cid)) {
      in.transferTo(sink);
      sink.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + cid + " to standard output failed", e);
    }
    return 0;
  }
}
