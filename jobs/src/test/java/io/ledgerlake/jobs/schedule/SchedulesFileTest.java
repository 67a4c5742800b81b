package io.ledgerlake.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schedules file: a good file parses fully; each kind of mistake is one line naming its line; nothing partial. */
class SchedulesFileTest {
  private static final String HEAD = "version: 1\nschedules:\n";

  @Test
  void aGoodFileParses() {
    var specs = SchedulesFile.parse("s.yaml", HEAD + """
          - id: nightly
            job: probe
            params: {mode: ok}
            cron: "0 2 * * *"
            timezone: Europe/Berlin
            retries: 2
            backoff: 30s
            timeout: 1h
            catch-up: all
          - id: after-publish
            job: probe
            after: {job: publish, dataset: ds1}
          - id: every-1000
            job: probe
            params: {mode: "${dataset}"}
            curated: {records: 1000, dataset: ds1}
          - id: every-10-any
            job: probe
            curated: 10
        """, SchedulerTest.JOBS);
    assertThat(specs).hasSize(4);
    assertThat(specs.get(0).trigger()).isEqualTo(Trigger.Cron.of("0 2 * * *", "Europe/Berlin"));
    assertThat(specs.get(0).policy()).isEqualTo(new SchedulePolicy(2, Duration.ofSeconds(30), Duration.ofHours(1), 1,
        SchedulePolicy.CatchUp.ALL));
    assertThat(specs.get(1).trigger()).isEqualTo(new Trigger.OnJob("publish", "ds1"));
    assertThat(specs.get(2).trigger()).isEqualTo(new Trigger.Curated(1000, "ds1"));
    assertThat(specs.get(3).trigger()).isEqualTo(new Trigger.Curated(10, null));
    // Stored form round-trips.
    for (ScheduleSpec spec : specs) {
      assertThat(ScheduleSpec.fromJson(spec.toJson().toString())).isEqualTo(spec);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "'  - id: a\n    job: trian\n    cron: \"0 * * * *\"\n'|s.yaml:4: unknown job 'trian' (known: probe)",
    "'  - id: a\n    job: probe\n    cron: \"0 * * *\"\n'|s.yaml:5: bad cron '0 * * *': expected 5 fields",
    "'  - id: a\n    job: probe\n    params: {mdoe: ok}\n    cron: \"0 * * * *\"\n'|s.yaml:5: unknown parameter 'mdoe' for job probe (accepted: mode, sleep_ms)",
    "'  - id: a\n    job: probe\n    cron: \"0 * * * *\"\n    timezone: Mars/Base\n'|s.yaml:6: unknown time zone 'Mars/Base'",
    "'  - id: a\n    job: probe\n    crn: \"0 * * * *\"\n'|s.yaml:5: unknown key 'crn'",
    "'  - id: a\n    job: probe\n'|s.yaml:3: schedule 'a' needs exactly one trigger: 'cron', 'after' or 'curated'",
    "'  - id: a\n    job: probe\n    cron: \"0 * * * *\"\n    curated: 5\n'|s.yaml:3: schedule 'a' needs exactly one trigger",
    "'  - id: a\n    job: probe\n    curated: {records: 0}\n'|s.yaml:5: curated records threshold must be between 1 and",
    "'  - id: a\n    job: probe\n    curated: {dataset: ds1}\n'|s.yaml:5: missing 'records'",
    "'  - id: a\n    job: probe\n    params: {mode: \"${dataset}\"}\n    curated: 5\n'|s.yaml:3: parameter 'mode' of schedule 'a' uses ${dataset}, which only an 'after' trigger provides (a 'curated' trigger with a dataset provides ${dataset})",
    "'  - id: a\n    job: probe\n    cron: \"0 * * * *\"\n    retries: many\n'|s.yaml:6: expected a whole number, got 'many'",
    "'  - id: a\n    job: probe\n    cron: \"0 * * * *\"\n  - id: a\n    job: probe\n    cron: \"0 * * * *\"\n'|s.yaml:6: schedule id 'a' is declared twice",
    "'  - id: a\n    job: probe\n   cron: [\n'|s.yaml:5: not valid YAML",
    "'  - id: a\n    job: probe\n    after: probe\n'|s.yaml:3: schedule 'a' runs probe after probe itself",
    "'  - id: a\n    job: probe\n    params: {mode: \"${version}\"}\n    cron: \"0 * * * *\"\n'|s.yaml:3: parameter 'mode' of schedule 'a' uses ${version}, which only an 'after' trigger provides",
  })
  void mistakesAreOneLineNamingTheLine(String body, String expected) {
    assertThatThrownBy(() -> SchedulesFile.parse("s.yaml", HEAD + body, SchedulerTest.JOBS))
        .isInstanceOf(ScheduleException.class)
        .hasMessageStartingWith(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void theVersionIsChecked() {
    assertThatThrownBy(() -> SchedulesFile.parse("s.yaml", "version: 2\nschedules: []\n", SchedulerTest.JOBS))
        .hasMessage("s.yaml:1: expected 'version: 1' (this LedgerLake reads schedules files of version 1)");
  }
}
