package io.ledgerlake.labeling.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.server.ApiExtension;
import io.ledgerlake.ingestion.server.ApiRequest;
import io.ledgerlake.ingestion.server.BadRequestException;
import io.ledgerlake.ingestion.server.ConflictException;
import io.ledgerlake.ingestion.server.DatasetFiles;
import io.ledgerlake.labeling.AnnotationConflictException;
import io.ledgerlake.labeling.LabelingException;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.annotation.AnnotationRequest;
import io.ledgerlake.labeling.annotation.LabelSchema;
import io.ledgerlake.labeling.annotation.LabelSchemaFormat;
import io.ledgerlake.labeling.annotation.Receipt;
import io.ledgerlake.labeling.annotation.Review;
import io.ledgerlake.labeling.stage.AnnotationWorkflow;
import io.ledgerlake.labeling.stage.LabelSchemaSource;
import io.ledgerlake.lakehouse.Lakehouse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The annotation endpoints of the upload API ({@link ApiExtension}), on {@link AnnotationWorkflow}:
 *
 * <ul>
 *   <li>{@code GET /v1/datasets/{id}/tasks?limit=} — the caller's next tasks (record CID, text to label, lease expiry);
 *   <li>{@code POST /v1/annotations} — the caller's answer; 201 when stored, 200 with {@code replayed} on a replay;
 *   <li>{@code POST /v1/reviews} — accept / reject / requeue by the caller (not the annotator).
 * </ul>
 *
 * The caller is the EVM address of the bearer token; the dataset must be readable by it. Label schemas given to the
 * upload API are validated here ({@link LabelSchemaFormat}). Errors: schema violations and bad input 400, unknown
 * dataset 404, conflicts (not reserved, already answered, id reused with another payload, final review) 409.
 */
public final class AnnotationEndpoints implements ApiExtension {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TASKS = Pattern.compile("/v1/datasets/([^/]+)/tasks");
  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 100;

  private final AnnotationWorkflow workflow;

  public AnnotationEndpoints(AnnotationWorkflow workflow) {
    this.workflow = requireNonNull(workflow, "workflow");
  }

  /** The endpoints over a lakehouse, reading label schemas from the upload API's dataset files. */
  public static AnnotationEndpoints over(Lakehouse lakehouse, Path ingestionDataDir, LabelingOptions options,
      Clock clock) {
    return over(lakehouse, DatasetFiles.registry(ingestionDataDir), options, clock);
  }

  /** Over the datasets of {@code datasets} (the upload API's catalog, wherever it lives). */
  public static AnnotationEndpoints over(Lakehouse lakehouse, io.ledgerlake.ingestion.dataset.DatasetRegistry datasets,
      LabelingOptions options, Clock clock) {
    return new AnnotationEndpoints(new AnnotationWorkflow(lakehouse, labelSchemas(datasets), options, clock));
  }

  /** Label schemas as stored with the dataset definitions of {@code datasets} (also what the CLI reads). */
  public static LabelSchemaSource labelSchemas(io.ledgerlake.ingestion.dataset.DatasetRegistry datasets) {
    return datasetId -> datasets.find(datasetId).flatMap(AnnotationEndpoints::schemaOf);
  }

  static Optional<LabelSchema> schemaOf(DatasetDefinition dataset) {
    return dataset.labelSchema().isEmpty() ? Optional.empty()
        : Optional.of(LabelSchemaFormat.read(dataset.labelSchema()));
  }

  @Override
  public JsonNode validateLabelSchema(JsonNode labelSchema) {
    try {
      return LabelSchemaFormat.toJson(LabelSchemaFormat.fromJson(labelSchema));
    } catch (LabelingException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public boolean handle(ApiRequest request) throws IOException {
    String path = request.path();
    Matcher m = TASKS.matcher(path);
    try {
      if (m.matches()) {
        request.requireMethod("GET");
        tasks(request, m.group(1));
      } else if (path.equals("/v1/annotations")) {
        request.requireMethod("POST");
        annotate(request);
      } else if (path.equals("/v1/reviews")) {
        request.requireMethod("POST");
        review(request);
      } else {
        return false;
      }
      return true;
    } catch (AnnotationConflictException e) {
      throw new ConflictException(e.getMessage());
    } catch (LabelingException e) {
      if (e.category() == ErrorCategory.USER_ERROR) {
        throw new BadRequestException(e.getMessage());
      }
      throw e;
    }
  }

  private void tasks(ApiRequest request, String datasetId) throws IOException {
    String caller = request.caller();
    DatasetDefinition dataset = request.readableDataset(datasetId);
    int limit = request.queryParam("limit").map(v -> parseLimit(v)).orElse(DEFAULT_LIMIT);
    List<AnnotationWorkflow.Task> tasks = workflow.nextTasks(dataset.id(), caller, limit);
    ObjectNode out = JSON.createObjectNode();
    out.put("datasetId", dataset.id());
    out.put("annotator", AnnotationWorkflow.normalize(caller));
    out.set("labelSchema", LabelSchemaFormat.toJson(workflow.schema(dataset.id())));
    ArrayNode list = out.putArray("tasks");
    for (AnnotationWorkflow.Task t : tasks) {
      list.addObject().put("datasetId", t.datasetId()).put("recordCid", t.recordCid()).put("text", t.text())
          .put("redacted", t.redacted()).put("leaseExpiresAt", t.leaseExpiresAt().toString());
    }
    request.sendJson(200, out);
  }

  private void annotate(ApiRequest request) throws IOException {
    String caller = request.caller();
    JsonNode body = request.readJson();
    String datasetId = text(body, "datasetId");
    request.readableDataset(datasetId);
    JsonNode values = body.get("values");
    if (values == null || !values.isArray()) {
      throw new BadRequestException("Field 'values' is required and must be an array of strings, e.g."
          + " [\"positive\"] or [\"toxic\", \"spam\"] or [\"free text\"]");
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (!values.get(i).isTextual()) {
        throw new BadRequestException("values[" + i + "] must be a string, got " + values.get(i));
      }
      list.add(values.get(i).textValue());
    }
    JsonNode spent = body.get("timeSpentMs");
    if (spent != null && !spent.canConvertToLong()) {
      throw new BadRequestException("Field 'timeSpentMs' must be a non-negative integer (milliseconds)");
    }
    Receipt<Annotation> receipt = workflow.submit(new AnnotationRequest(text(body, "annotationId"), datasetId,
        text(body, "recordCid"), caller, list, spent == null ? 0 : spent.asLong()));
    Annotation a = receipt.value();
    ObjectNode out = JSON.createObjectNode();
    out.put("annotationId", a.annotationId());
    out.put("datasetId", a.datasetId());
    out.put("recordCid", a.recordCid());
    out.put("annotator", a.annotatorId());
    a.values().forEach(out.putArray("values")::add);
    out.put("timeSpentMs", a.timeSpentMillis());
    out.put("submittedAt", a.submittedAt().toString());
    out.put("status", a.status().name().toLowerCase(Locale.ROOT));
    out.put("replayed", receipt.replayed());
    request.sendJson(receipt.replayed() ? 200 : 201, out);
  }

  private void review(ApiRequest request) throws IOException {
    String caller = request.caller();
    JsonNode body = request.readJson();
    String datasetId = text(body, "datasetId");
    request.readableDataset(datasetId);
    String decision = text(body, "decision").toUpperCase(Locale.ROOT);
    Review.Decision d;
    try {
      d = Review.Decision.valueOf(decision);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Field 'decision' must be accept, reject or requeue, got '"
          + body.get("decision").asText() + "'");
    }
    Receipt<Review> receipt = workflow.review(datasetId, new Review(text(body, "reviewId"),
        text(body, "annotationId"), caller, d, body.path("comment").asText("")));
    ObjectNode out = JSON.createObjectNode();
    out.put("reviewId", receipt.value().reviewId());
    out.put("annotationId", receipt.value().annotationId());
    out.put("reviewer", receipt.value().reviewerId());
    out.put("decision", d.name().toLowerCase(Locale.ROOT));
    out.put("replayed", receipt.replayed());
    request.sendJson(receipt.replayed() ? 200 : 201, out);
  }

  private static int parseLimit(String v) {
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new BadRequestException("Query parameter 'limit' must be an integer in 1.." + MAX_LIMIT + ", got '" + v
        + "'");
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || !n.isTextual() || n.textValue().isBlank()) {
      throw new BadRequestException("Field '" + field + "' is required and must be a non-empty string");
    }
    return n.textValue();
  }
}
