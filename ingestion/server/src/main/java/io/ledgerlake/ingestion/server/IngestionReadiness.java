package io.ledgerlake.ingestion.server;

import java.util.Map;
import java.util.Optional;

/**
 * Whether what sits behind the upload API (the ingestion job, its followers) is running. The API asks before it
 * admits an upload: an upload that nothing will ingest is answered 503, not acknowledged with 202. {@code GET /health}
 * reports every component.
 */
public interface IngestionReadiness {
  /** Empty while uploads can be ingested; otherwise why not (the 503's message, and what to do). */
  Optional<String> uploadsBlocked();

  /** Component name → its state in a word or a sentence ({@code running}, {@code failed: ...}), in a stable order. */
  Map<String, String> components();

  /** True when every component runs; {@code GET /health} answers 503 otherwise. */
  boolean healthy();

  /** For a server without background jobs (tests, the API alone). */
  static IngestionReadiness alwaysReady() {
    return new IngestionReadiness() {
      @Override
      public Optional<String> uploadsBlocked() {
        return Optional.empty();
      }

      @Override
      public Map<String, String> components() {
        return Map.of("upload-api", "running");
      }

      @Override
      public boolean healthy() {
        return true;
      }
    };
  }
}
