package io.ledgerlake.cli.content;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.unixfs.ImportedNode;
import io.ledgerlake.lakehouse.LakehouseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "cid",
    mixinStandardHelpOptions = true,
    description = {
      "Print the IPFS CID of files, like sha256sum: '<cid>  <path>'.",
      "Identical to what IPFS computes for the same profile; nothing is stored."
    })
public final class CidCommand extends LakehouseCommand {
  @Option(names = "--profile", defaultValue = "unixfs-v1-2025", description = "unixfs-v1-2025 (default) or unixfs-v0-2015.")
  String profile;

  @Option(names = {"-r", "--recursive"}, description = "Allow directories (one CID for the whole tree).")
  boolean recursive;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files (or directories with -r).")
  List<Path> paths;

  @Override
  public Integer call() {
    Profile p = Profile.parse(profile);
    for (Path path : paths) {
      checkReadable(path, recursive);
    }
    for (Path path : paths) {
      ImportedNode node = ContentStore.cid(path, p);
      out().printf("%s  %s%n", node.cid(), path);
      out().flush();
    }
    return 0;
  }

  /** Fails with one clear line before any work, so no partial output hides an error. */
  static void checkReadable(Path path, boolean recursive) {
    if (!Files.exists(path)) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s: no such file or directory", path);
    }
    if (Files.isDirectory(path) && !recursive) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s is a directory; pass -r to include directories", path);
    }
    if (!Files.isReadable(path)) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s is not readable; check its permissions", path);
    }
  }
}
