package io.ledgerlake.cli.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.ingestion.client.IngestionClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "dataset", mixinStandardHelpOptions = true, description = "Create datasets.", subcommands = DatasetCommand.Create.class)
public final class DatasetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: create");
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a dataset; prints its id. See docs/api.md for the fields.")
  public static final class Create extends LakehouseCommand {
    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--format", required = true, description = "jsonl | csv | parquet | document")
    String format;

    @Option(names = "--description", defaultValue = "")
    String description;

    @Option(names = "--schema", paramLabel = "FILE", description = "Schema JSON (default: inferred from the first upload).")
    Path schema;

    @Option(names = "--label-schema", paramLabel = "FILE", description = "Label schema JSON for human annotation (docs/labeling.md, \"Label schema\").")
    Path labelSchema;

    @Option(names = "--private", description = "Private visibility.")
    boolean privateVisibility;

    @Option(names = "--allowlist", split = ",", paramLabel = "ADDRESS", description = "Only these addresses may submit.")
    List<String> allowlist;

    @Option(names = "--url", description = "Upload API URL (default: the local platform).")
    String url;

    @Option(names = "--id", description = "Choose the dataset id (e.g. ds-cities01); default: assigned by the server.")
    String id;

    @Override
    public Integer call() throws Exception {
      ObjectMapper json = new ObjectMapper();
      ObjectNode def = json.createObjectNode();
      def.put("name", name);
      def.put("description", description);
      def.put("format", format);
      def.put("visibility", privateVisibility ? "private" : "public");
      if (schema != null) {
        def.set("schema", json.readTree(Files.readString(schema)));
      }
      if (labelSchema != null) {
        def.set("labelSchema", json.readTree(Files.readString(labelSchema)));
      }
      if (id != null) {
        def.put("id", id);
      }
      if (allowlist != null) {
        var submitters = def.putObject("submitters");
        submitters.put("mode", "allowlist");
        var list = submitters.putArray("allowlist");
        allowlist.forEach(list::add);
      }
      String id = new IngestionClient(IngestSettings.apiUrl(settings(), url), LoginCommand.token(settings())).createDataset(def);
      out().println(id);
      return 0;
    }
  }
}
