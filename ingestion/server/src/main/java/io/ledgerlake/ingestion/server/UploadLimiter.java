package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.IngestionOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-contributor limits: uploads per minute (sliding window) and bytes per UTC day. In memory: a restart forgets
 * the counters, which errs towards letting contributors upload (see docs/decisions/ingestion-upload-api.md).
 */
final class UploadLimiter {
  private final long uploadsPerMinute;
  private final long bytesPerDay;
  private final Clock clock;
  private final Map<String, Deque<Instant>> recentUploads = new HashMap<>();
  private final Map<String, long[]> bytesToday = new HashMap<>(); // [epochDay, bytes]

  UploadLimiter(long uploadsPerMinute, long bytesPerDay, Clock clock) {
    this.uploadsPerMinute = uploadsPerMinute;
    this.bytesPerDay = bytesPerDay;
    this.clock = clock;
  }

  /** Counts one upload start; throws if the contributor is over the rate. */
  synchronized void admitUpload(String contributor) {
    Instant now = clock.instant();
    Deque<Instant> window = recentUploads.computeIfAbsent(contributor, k -> new ArrayDeque<>());
    while (!window.isEmpty() && !window.peekFirst().isAfter(now.minus(Duration.ofMinutes(1)))) {
      window.pollFirst();
    }
    if (window.size() >= uploadsPerMinute) {
      Duration retry = Duration.between(now, window.peekFirst().plus(Duration.ofMinutes(1)));
      throw new RateLimitException("RATE_LIMITED", "Contributor " + contributor + " started " + window.size()
          + " uploads in the last minute, the limit is " + uploadsPerMinute + " ("
          + IngestionOptions.RATE_UPLOADS_PER_MINUTE + "); retry after " + retry.toSeconds() + " s", retry);
    }
    window.addLast(now);
  }

  /** Bytes the contributor may still upload today. */
  synchronized long remainingBytes(String contributor) {
    return Math.max(0, bytesPerDay - usedToday(contributor));
  }

  /** Throws if {@code bytes} more would exceed today's quota. */
  synchronized void checkQuota(String contributor, long bytes) {
    if (bytes > remainingBytes(contributor)) {
      throw quotaExceeded(contributor);
    }
  }

  synchronized void recordBytes(String contributor, long bytes) {
    long day = today();
    long[] entry = bytesToday.computeIfAbsent(contributor, k -> new long[] {day, 0});
    if (entry[0] != day) {
      entry[0] = day;
      entry[1] = 0;
    }
    entry[1] += bytes;
  }

  RateLimitException quotaExceeded(String contributor) {
    Instant now = clock.instant();
    Instant midnight = LocalDate.ofEpochDay(today() + 1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Duration retry = Duration.between(now, midnight);
    return new RateLimitException("QUOTA_EXCEEDED", "Contributor " + contributor + " would exceed the daily quota of "
        + bytesPerDay + " bytes (" + IngestionOptions.QUOTA_BYTES_PER_DAY + "); retry after " + retry.toSeconds()
        + " s (midnight UTC)", retry);
  }

  private long usedToday(String contributor) {
    long[] entry = bytesToday.get(contributor);
    return entry == null || entry[0] != today() ? 0 : entry[1];
  }

  private long today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toEpochDay();
  }
}
