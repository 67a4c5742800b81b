package io.ledgerlake.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.cli.LedgerLake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing through the CLI against a real anvil chain, a real catalog and content store. */
class PublishITCase {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dir.resolve("data").toString());
    int code = LedgerLake.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @AfterEach
  void stopChain() {
    run("chain", "down");
  }

  @Test
  void publishRegistersVersionAndReceiptsAndRecordsTheRun() {
    Run noChain = run("publish", "--dataset", "demo");
    assertThat(noChain.code()).isEqualTo(2);
    assertThat(noChain.err()).contains("chain up");

    Run up = run("chain", "up");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).contains("Local chain").contains("127.0.0.1");
    Run status = run("chain", "status");
    assertThat(status.out()).contains("contracts present: true");

    // the demo publishes demo-v1 (asset 1 version 1) itself
    assertThat(run("demo", "--records", "30").code()).isZero();
    Run published = run("publish", "--dataset", "demo");
    assertThat(published.code()).as(published.err()).isZero();
    assertThat(published.out()).contains("Published demo-v2").contains("asset 1 version 2");
    // three contributors with 10 records each: 3334 + 3333 + 3333 (largest remainder, documented)
    assertThat(published.out()).contains("3334 bps").contains("3333 bps");

    Run again = run("publish", "--dataset", "demo");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("Published demo-v3").contains("asset 1 version 3");

    Run runs = run("sql", "select count(*) from ops.job_runs where job_name = 'publish' and status = 'succeeded'", "--format", "csv");
    assertThat(runs.out()).contains("\r\n3\r\n");
    Run edges = run("sql", "select count(*) from lineage.edges where relation = 'registered_as'", "--format", "csv");
    assertThat(edges.out()).contains("\r\n3\r\n");

    Run unknown = run("publish", "--dataset", "nope");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no ingested records");

    Run badKind = run("license", "buy", "--asset", "1", "--kind", "forever");
    assertThat(badKind.code()).isEqualTo(2);
    assertThat(badKind.err()).contains("unknown license kind");

    Run claim = run("claim");
    assertThat(claim.code()).as(claim.err()).isZero();
  }
}
