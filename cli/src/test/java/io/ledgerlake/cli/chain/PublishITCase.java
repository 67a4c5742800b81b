package io.ledgerlake.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing through the CLI against a real anvil chain, a real catalog and content store. */
class PublishITCase {
  @TempDir Path dir;


  CliRun run(String... args) {
    return CliRun.run(dir.resolve("data"), args);
  }

  @AfterEach
  void stopChain() {
    run("chain", "down");
  }

  @Test
  void publishRegistersVersionAndReceiptsAndRecordsTheRun() {
    CliRun noChain = run("publish", "--dataset", "demo");
    assertThat(noChain.code()).isEqualTo(2);
    assertThat(noChain.err()).contains("chain up");

    CliRun up = run("chain", "up");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).contains("Local chain").contains("127.0.0.1");
    CliRun status = run("chain", "status");
    assertThat(status.out()).contains("contracts present: true");

    // The demo publishes demo-v1 itself (and leaves the chain running: it did not start it).
    CliRun demo = run("demo", "--records", "30");
    assertThat(demo.code()).as(demo.err()).isZero();
    String ds = demo.demoDataset();
    assertThat(demo.out()).contains("published as " + ds + "-v1 (asset 1, version 1)");
    assertThat(run("chain", "status").out()).contains("contracts present: true");
    CliRun published = run("publish", "--dataset", ds);
    assertThat(published.code()).as(published.err()).isZero();
    // version ids are global: the demo registered its trained model as version 2 (asset 2), its index as 3 (asset 3)
    assertThat(published.out()).contains("Published " + ds + "-v2").contains("asset 1 version 4");
    // three contributors with 10 records each: 3334 + 3333 + 3333 (largest remainder, documented)
    assertThat(published.out()).contains("3334 bps").contains("3333 bps");

    CliRun again = run("publish", "--dataset", ds);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("Published " + ds + "-v3").contains("asset 1 version 5");

    CliRun runs = run("sql", "select count(*) from ops.job_runs where job_name = 'publish' and status = 'succeeded'", "--format", "csv");
    assertThat(runs.out()).contains("\r\n3\r\n");
    CliRun edges = run("sql", "select count(*) from lineage.edges where relation = 'registered_as'", "--format", "csv");
    assertThat(edges.out()).as("three dataset versions, the demo's model and index").contains("\r\n5\r\n");

    CliRun unknown = run("publish", "--dataset", "nope");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no ingested records");

    CliRun badKind = run("license", "buy", "--asset", "1", "--kind", "forever");
    assertThat(badKind.code()).isEqualTo(2);
    assertThat(badKind.err()).contains("unknown license kind");

    CliRun claim = run("claim");
    assertThat(claim.code()).as(claim.err()).isZero();
  }
}
