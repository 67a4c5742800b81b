package io.ledgerlake.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cron next-fire times in two time zones across their daylight-saving changes (EU and US change on other dates). */
class CronTriggerTest {
  private static List<String> fires(Trigger.Cron cron, String fromUtc, int n) {
    List<String> out = new ArrayList<>();
    Instant t = Instant.parse(fromUtc);
    for (int i = 0; i < n; i++) {
      t = cron.nextAfter(t);
      out.add(ZonedDateTime.ofInstant(t, cron.zone()).toOffsetDateTime().toString());
    }
    return out;
  }

  @Test
  void dailyAtHalfPastTwoAcrossBerlinSpringForwardAndFallBack() {
    Trigger.Cron cron = Trigger.Cron.of("30 2 * * *", "Europe/Berlin");
    // 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day.
    assertThat(fires(cron, "2026-03-27T12:00:00Z", 3)).containsExactly(
        "2026-03-28T02:30+01:00", "2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00");
    // 2026-10-25 03:00 CEST goes back to 02:00 CET: 02:30 happens twice that day and fires once.
    assertThat(fires(cron, "2026-10-23T12:00:00Z", 3)).containsExactly(
        "2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
  }

  @Test
  void dailyAtHalfPastTwoAcrossNewYorkChanges() {
    Trigger.Cron cron = Trigger.Cron.of("30 2 * * *", "America/New_York");
    assertThat(fires(cron, "2026-03-06T12:00:00Z", 3)).containsExactly(
        "2026-03-07T02:30-05:00", "2026-03-08T03:30-04:00", "2026-03-09T02:30-04:00");
    // 2026-11-01 02:00 EDT goes back to 01:00 EST: 01:30 happens twice and fires once, 02:30 exists once (EST).
    assertThat(fires(Trigger.Cron.of("30 1 * * *", "America/New_York"), "2026-10-30T12:00:00Z", 3)).containsExactly(
        "2026-10-31T01:30-04:00", "2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
    assertThat(fires(cron, "2026-10-30T12:00:00Z", 3)).containsExactly(
        "2026-10-31T02:30-04:00", "2026-11-01T02:30-05:00", "2026-11-02T02:30-05:00");
  }

  @Test
  void hourlyAcrossFallBackFiresEveryRealHour() {
    Trigger.Cron cron = Trigger.Cron.of("0 * * * *", "America/New_York");
    assertThat(fires(cron, "2026-11-01T04:30:00Z", 4)).containsExactly(
        "2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00", "2026-11-01T02:00-05:00", "2026-11-01T03:00-05:00");
  }

  @Test
  void badExpressionsAndZonesAreUserErrors() {
    assertThatThrownBy(() -> Trigger.Cron.of("61 * * * *", "UTC")).hasMessageContaining("bad cron '61 * * * *'");
    assertThatThrownBy(() -> Trigger.Cron.of("0 0 * *", "UTC")).hasMessageContaining("expected 5 fields");
    assertThatThrownBy(() -> Trigger.Cron.of("0 0 * * *", "Mars/Olympus")).hasMessageContaining("unknown time zone");
  }
}
