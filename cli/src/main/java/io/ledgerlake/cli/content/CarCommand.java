package io.ledgerlake.cli.content;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.car.CarImporter;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.lakehouse.LakehouseException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "car",
    mixinStandardHelpOptions = true,
    description = "Export or import CAR v1 files (what 'ipfs dag import/export' reads and writes).",
    subcommands = {CarCommand.Export.class, CarCommand.Import.class})
public final class CarCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: export or import");
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the DAG under CID to OUT.car.")
  public static final class Export extends LakehouseCommand {
    @Parameters(index = "0", paramLabel = "CID")
    String cid;

    @Parameters(index = "1", paramLabel = "OUT.car")
    Path out;

    @Override
    public Integer call() {
      Cid root = Cid.parse(cid);
      ContentStore store = ContentSettings.open(settings());
      {
        long bytes = store.exportCar(root, out);
        out().printf("Exported %s to %s (%d bytes)%n", root, out, bytes);
      }
      return 0;
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Import every block of IN.car after checking each block's hash; all or nothing.")
  public static final class Import extends LakehouseCommand {
    @Parameters(index = "0", paramLabel = "IN.car")
    Path in;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(in)) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "%s: no such file", in);
      }
      ContentStore store = ContentSettings.open(settings());
      {
        CarImporter.Result result = store.importCar(in);
        out().printf("Imported %d blocks (%d new) from %s; roots: %s%n", result.blocks(), result.newBlocks(), in, result.roots());
      }
      return 0;
    }
  }
}
