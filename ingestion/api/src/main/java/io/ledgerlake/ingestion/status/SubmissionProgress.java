package io.ledgerlake.ingestion.status;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.record.Rejection;
import java.util.List;

/**
 * What the ingestion job reports about one submission (from {@code ingest.submissions} once the job and lakehouse
 * exist).
 *
 * @param rejectionSample a bounded sample of rejections with positions, for the status API
 * @param failure the whole-submission error message when {@code state} is REJECTED or FAILED, else ""
 */
public record SubmissionProgress(
    SubmissionState state,
    long accepted,
    long rejected,
    long duplicates,
    List<Rejection> rejectionSample,
    String failure) {

  public SubmissionProgress {
    requireNonNull(state, "state");
    rejectionSample = List.copyOf(requireNonNull(rejectionSample, "rejectionSample"));
    requireNonNull(failure, "failure");
  }

  public static SubmissionProgress received() {
    return new SubmissionProgress(SubmissionState.RECEIVED, 0, 0, 0, List.of(), "");
  }
}
