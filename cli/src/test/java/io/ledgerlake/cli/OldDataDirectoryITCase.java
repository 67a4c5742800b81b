package io.ledgerlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A data directory written by an earlier version keeps working: catalog and tables (publish runs in ops.job_runs,
 * rejections, curated views, models, embeddings, usage, settlements), the chain's state, the indexer's cursor and
 * the pending-transaction journal, the content store and the upload server's files are read by today's code, and
 * the demo over them adds nothing the old demo did (it adds only what today's demo does beyond it: a second API
 * licensee's query and its settlement) and finds no discrepancy.
 *
 * <p>The fixture ({@code fixtures/old-data-v1.tgz}, 0.7 MB) is the data directory of {@code ./ledgerlake demo
 * --records 40} run by main of 2026-12-03 (session 5). It must be unpacked where it was written,
 * {@value #WHERE}: the Iceberg catalog and table metadata hold absolute paths (Iceberg has no in-place relocation).
 * To add a fixture of a later version, keep this one and add {@code old-data-v2.tgz} the same way:
 * {@code ./ledgerlake demo --data-dir /tmp/ledgerlake-old-data-v2/data --records 40}, remove
 * {@code data/chain/anvil.log}, then {@code tar czf old-data-v2.tgz data} from {@code /tmp/ledgerlake-old-data-v2}.
 */
class OldDataDirectoryITCase {
  static final String WHERE = "/tmp/ledgerlake-old-data-v1";
  private static final Path ROOT = Path.of(WHERE);

  @BeforeAll
  static void unpack() throws Exception {
    deleteRoot();
    Files.createDirectories(ROOT);
    try (InputStream in = OldDataDirectoryITCase.class.getResourceAsStream("/fixtures/old-data-v1.tgz")) {
      Files.copy(in, ROOT.resolve("fixture.tgz"));
    }
    Process tar = new ProcessBuilder("tar", "xzf", "fixture.tgz").directory(ROOT.toFile()).inheritIO().start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).isZero();
  }

  @AfterAll
  static void deleteRoot() throws Exception {
    if (Files.exists(ROOT)) {
      try (Stream<Path> all = Files.walk(ROOT)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static CliRun run(String... args) {
    return CliRun.run(ROOT.resolve("data"), args);
  }

  @Test
  void todaysCodeReadsItAndTheDemoOverItAddsNothing() {
    CliRun count = run("sql", "select count(*) as n from ingest.records", "--format", "json");
    assertThat(count.code()).as(count.err()).isZero();
    assertThat(count.out().strip()).isEqualTo("{\"n\":40}");
    // rejections keep their positions
    CliRun rejected = run("sql", "select count(*) as n from ingest.rejections where position like 'line %'",
        "--format", "json");
    assertThat(rejected.out().strip()).isEqualTo("{\"n\":2}");

    CliRun demo = run("demo", "--records", "40");
    assertThat(demo.code()).as(demo.out() + demo.err()).isZero();
    String dataset = demo.demoDataset();
    assertThat(demo.out()).contains("duplicate of an earlier upload").contains("has 40 records")
        .contains("already published as " + dataset + "-v1").contains("already holds full access")
        .contains("already holds an API licence").contains("a retry: recorded before, not again")
        .contains("0 discrepancies");
    // What the old demo did is not done again: its queries are retries. The one query recorded is the second
    // licensee's, which the demo of that version did not have; its call is settled on its own.
    assertThat(demo.out().lines().filter(l -> l.contains("usage recorded)")).toList())
        .singleElement().asString().contains("-l2-q1");
    // The model calls are new as well (that version served no model): metered and settled on their own.
    assertThat(demo.out().lines().filter(l -> l.contains("call metered)")).toList()).hasSize(2);
    assertThat(demo.out()).contains("settled 2 epoch settlement(s)");

    CliRun version = run("sql", "select count(*) from ingest.records version as of '" + dataset + "-v1'",
        "--format", "csv");
    assertThat(version.code()).as(version.err()).isZero();
    assertThat(version.out()).contains("\r\n40\r\n");
  }
}
