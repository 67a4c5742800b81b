package io.ledgerlake.cli.content;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.content.AddResult;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Store files in the local content store, pin them and print '<cid>  <path>'.",
      "Blocks are synced to disk before the CID is printed. Replicated to a Kubo node",
      "when ledgerlake.content.kubo.url is set."
    })
public final class AddCommand extends LakehouseCommand {
  @Option(names = "--profile", description = "unixfs-v1-2025 (default) or unixfs-v0-2015.")
  String profile;

  @Option(names = {"-r", "--recursive"}, description = "Allow directories.")
  boolean recursive;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files (or directories with -r).")
  List<Path> paths;

  @Override
  public Integer call() {
    for (Path path : paths) {
      CidCommand.checkReadable(path, recursive);
    }
    ContentStore store = ContentSettings.open(settings());
    {
      Profile p = profile == null ? store.options().profile() : Profile.parse(profile);
      for (Path path : paths) {
        AddResult added = store.add(path, p);
        out().printf("%s  %s%n", added.cid(), path);
        out().flush();
      }
    }
    return 0;
  }
}
