package io.ledgerlake.ingestion.server;

import static io.ledgerlake.ingestion.server.HttpApi.requireMethod;
import static io.ledgerlake.ingestion.server.HttpApi.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.status.SubmissionProgress;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Submission status: {@code GET /v1/submissions/{id}}, for the dataset's readers and the contributor. */
final class SubmissionEndpoints implements Endpoints {
  static final Pattern SUBMISSION = Pattern.compile("/v1/submissions/([^/]+)");

  private final ApiAuth auth;
  private final DatasetStore datasets;
  private final SubmissionStore submissions;
  private final SubmissionStatusSource statusSource;

  SubmissionEndpoints(ApiAuth auth, DatasetStore datasets, SubmissionStore submissions,
      SubmissionStatusSource statusSource) {
    this.auth = auth;
    this.datasets = datasets;
    this.submissions = submissions;
    this.statusSource = statusSource;
  }

  @Override
  public boolean handle(Exchange ex, String method, String path) throws IOException {
    Matcher m = SUBMISSION.matcher(path);
    if (!m.matches()) {
      return false;
    }
    requireMethod(method, "GET");
    getSubmission(ex, m.group(1));
    return true;
  }

  private void getSubmission(Exchange ex, String id) throws IOException {
    SubmissionRecord record = submissions.get(id)
        .orElseThrow(() -> new ResourceNotFoundException("Submission " + id + " does not exist"));
    SubmissionEvent event = record.event();
    Optional<String> caller = auth.optionalCaller(ex);
    DatasetDefinition dataset = datasets.require(event.datasetId());
    if (!dataset.readableBy(caller) && !caller.map(event.contributor()::equals).orElse(false)) {
      throw new ResourceNotFoundException("Submission " + id + " does not exist");
    }
    SubmissionProgress progress = statusSource.progress(id).orElse(SubmissionProgress.received());
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("submissionId", id);
    out.put("datasetId", event.datasetId());
    out.put("contributor", event.contributor());
    out.put("cid", event.cid());
    out.put("byteCount", event.byteCount());
    out.put("contentType", event.contentType());
    out.put("fileName", event.fileName());
    out.put("receivedAt", event.receivedAt().toString());
    out.put("status", progress.state().id());
    ObjectNode counts = out.putObject("counts");
    counts.put("accepted", progress.accepted());
    counts.put("rejected", progress.rejected());
    counts.put("duplicate", progress.duplicates());
    ArrayNode sample = out.putArray("rejectionSample");
    for (Rejection r : progress.rejectionSample()) {
      ObjectNode item = sample.addObject();
      item.put("entry", r.position().entry());
      item.put("line", r.position().line());
      item.put("byteOffset", r.position().byteOffset());
      item.put("record", r.position().ordinal());
      item.put("code", r.code().name());
      item.put("reason", r.reason());
    }
    if (!progress.failure().isEmpty()) {
      out.put("failure", progress.failure());
    }
    sendJson(ex, 200, out);
  }
}
