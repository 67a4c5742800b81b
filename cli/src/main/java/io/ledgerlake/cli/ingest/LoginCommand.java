package io.ledgerlake.cli.ingest;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Sign in with Ethereum (EIP-4361) using a key file; stores the API token for later commands.")
public final class LoginCommand extends LakehouseCommand {
  @Option(names = "--key-file", required = true, paramLabel = "FILE")
  Path keyFile;

  @Option(names = "--url", description = "Upload API URL (default: the local platform).")
  String url;

  @Override
  public Integer call() throws Exception {
    DevKeyFile key = DevKeyFile.load(keyFile);
    String token = new IngestionClient(IngestSettings.apiUrl(settings(), url), Optional.empty()).login(key);
    Path file = IngestSettings.tokenFile(settings());
    Files.createDirectories(file.getParent());
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    out().printf("Signed in as %s; token saved to %s%n", key.address(), file);
    return 0;
  }

  static Optional<String> token(io.ledgerlake.common.config.Settings settings) throws java.io.IOException {
    Path file = IngestSettings.tokenFile(settings);
    return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
  }
}
