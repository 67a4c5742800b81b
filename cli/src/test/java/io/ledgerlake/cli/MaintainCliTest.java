package io.ledgerlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledgerlake maintain}: compacts ops.job_runs after a few runs; a bad table is a one-line error. */
class MaintainCliTest {
  @TempDir Path dir;

  @Test
  void compactsAndReportsAndRefusesUnknownTables() {
    for (int i = 0; i < 5; i++) { // five job runs: five one-row files in ops.job_runs
      assertThat(CliRun.run(dir, "lineage", "refresh").code()).isZero();
    }
    CliRun r = CliRun.run(dir, "maintain", "--tables", "ops.job_runs", "--expire-older-than", "0");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("ops.job_runs: 5 small file(s) rewritten into 1, 0 snapshot(s) expired");
    CliRun again = CliRun.run(dir, "maintain", "--tables", "ops.job_runs", "--expire-older-than", "0");
    assertThat(again.out()).contains("ops.job_runs: 0 small file(s) rewritten into 0");
    CliRun bad = CliRun.run(dir, "maintain", "--tables", "label.nope");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().strip()).startsWith("ledgerlake: error: table label.nope does not exist").doesNotContain("\n");
    assertThat(CliRun.run(dir, "maintain", "--help").code()).isZero();
  }
}
