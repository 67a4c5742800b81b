package io.ledgerlake.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.cli.CliRun;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.flink.IngestionJobOptions;
import io.ledgerlake.platform.LedgerLakePlatform;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keys, login, dataset create, submit and status through the CLI against a running platform. */
class IngestCliITCase {
  @TempDir Path dir;


  CliRun run(String... args) {
    return CliRun.run(dir.resolve("cli"), args);
  }

  @Test
  void contributorFlowThroughTheCli() throws Exception {
    Path data = dir.resolve("platform");
    LedgerLakePlatform.Config config =
        new LedgerLakePlatform.Config(
            LakehouseOptions.embedded(data),
            ContentOptions.defaults().withStoreDir(data.resolve("content")).withGatewayPort(0),
            true,
            LedgerLakePlatform.ingestionOptions(Map.of(IngestionOptions.HTTP_PORT, "0"), data),
            IngestionJobOptions.from(Map.of(IngestionJobOptions.CHECKPOINT_INTERVAL, "500")),
            Duration.ofSeconds(1));
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config)) {
      String url = platform.apiUri().toString();
      Path key = dir.resolve("me.json");
      CliRun keys = run("keys", "new", "--out", key.toString());
      assertThat(keys.code()).as(keys.err()).isZero();
      assertThat(keys.out()).startsWith("0x");
      assertThat(run("keys", "new", "--out", key.toString()).code()).as("never overwrites a key").isEqualTo(2);

      CliRun unauthenticated = run("dataset", "create", "--name", "x", "--format", "csv", "--url", url);
      assertThat(unauthenticated.code()).isNotZero();

      CliRun login = run("login", "--key-file", key.toString(), "--url", url);
      assertThat(login.code()).as(login.err()).isZero();
      assertThat(login.out()).contains("Signed in as " + keys.out().split("\\s+")[0]);

      CliRun created = run("dataset", "create", "--name", "cities", "--format", "csv", "--url", url);
      assertThat(created.code()).as(created.err()).isZero();
      String dataset = created.out().strip();

      Path csv = Files.writeString(dir.resolve("cities.csv"), "city,population\nLyon,522969\nNantes,320732\nBrest\n");
      CliRun submitted = run("submit", "--dataset", dataset, "--url", url, csv.toString());
      assertThat(submitted.code()).as(submitted.err()).isZero();
      assertThat(submitted.err()).contains("cities.csv [").contains("bytes");
      String submission = submitted.out().split("\\s+")[0];

      CliRun again = run("submit", "--dataset", dataset, "--url", url, csv.toString());
      assertThat(again.out()).contains("duplicate");

      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      CliRun status;
      do {
        Thread.sleep(300);
        status = run("status", submission, "--url", url);
      } while (!status.out().contains("\"ingested\"") && System.nanoTime() < deadline);
      assertThat(status.out()).contains("\"ingested\"").contains("\"accepted\" : 2").contains("\"rejected\" : 1").contains("WRONG_COLUMN_COUNT");

      CliRun missing = run("submit", "--dataset", dataset, "--url", url, dir.resolve("nope.csv").toString());
      assertThat(missing.code()).isEqualTo(2);
      assertThat(missing.err()).contains("nope.csv");
    }
  }
}
