package io.ledgerlake.ingestion.server;

import static io.ledgerlake.ingestion.server.HttpApi.readJson;
import static io.ledgerlake.ingestion.server.HttpApi.requireMethod;
import static io.ledgerlake.ingestion.server.HttpApi.requiredText;
import static io.ledgerlake.ingestion.server.HttpApi.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.dataset.SubmitPolicy;
import io.ledgerlake.ingestion.dataset.Visibility;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import io.ledgerlake.ingestion.record.Json;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datasets: {@code POST /v1/datasets}, {@code GET /v1/datasets/{id}}, {@code PUT /v1/datasets/{id}/label-schema}.
 * Private datasets answer 404 to everyone but their readers, as if they did not exist.
 */
final class DatasetEndpoints implements Endpoints {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetEndpoints.class);
  static final Pattern DATASET = Pattern.compile("/v1/datasets/([^/]+)");
  static final Pattern DATASET_LABEL_SCHEMA = Pattern.compile("/v1/datasets/([^/]+)/label-schema");

  private final ApiAuth auth;
  private final DatasetStore datasets;
  private final Clock clock;
  private final List<ApiExtension> extensions;

  DatasetEndpoints(ApiAuth auth, DatasetStore datasets, Clock clock, List<ApiExtension> extensions) {
    this.auth = auth;
    this.datasets = datasets;
    this.clock = clock;
    this.extensions = List.copyOf(extensions);
  }

  @Override
  public boolean handle(Exchange ex, String method, String path) throws IOException {
    Matcher m;
    if (path.equals("/v1/datasets")) {
      if (method.equals("GET")) {
        listDatasets(ex);
        return true;
      }
      requireMethod(method, "POST");
      createDataset(ex);
    } else if ((m = DATASET_LABEL_SCHEMA.matcher(path)).matches()) {
      requireMethod(method, "PUT");
      putLabelSchema(ex, m.group(1));
    } else if ((m = DATASET.matcher(path)).matches()) {
      requireMethod(method, "GET");
      getDataset(ex, m.group(1));
    } else {
      return false;
    }
    return true;
  }

  private void createDataset(Exchange ex) throws IOException {
    String owner = auth.authenticate(ex);
    JsonNode body = readJson(ex);
    DatasetDefinition dataset;
    try {
      DataFormat format = DataFormat.fromId(requiredText(body, "format"));
      Optional<DatasetSchema> schema = body.hasNonNull("schema")
          ? Optional.of(DatasetSchema.fromJson(body.get("schema"))) : Optional.empty();
      Visibility visibility = Visibility.valueOf(body.path("visibility").asText("public").toUpperCase(Locale.ROOT));
      JsonNode submitters = body.path("submitters");
      List<String> allowlist = new ArrayList<>();
      submitters.path("allowlist").forEach(a -> allowlist.add(a.asText()));
      SubmitPolicy policy = new SubmitPolicy(
          SubmitPolicy.Mode.valueOf(submitters.path("mode").asText("open").toUpperCase(Locale.ROOT)), allowlist);
      JsonNode labelSchema = body.hasNonNull("labelSchema") ? validLabelSchema(body.get("labelSchema")) : null;
      // A client may choose the id (scripts and the demo want a stable one); otherwise we assign it.
      String id = body.hasNonNull("id") ? body.get("id").asText() : Ids.newId("ds", clock.instant());
      if (body.hasNonNull("id")) {
        if (!Ids.isWellFormed(id)) {
          throw new BadRequestException("Dataset id '" + id + "' is not well formed: use lower-case letters, a dash,"
              + " then 8 to 40 lower-case letters or digits, e.g. ds-demo0001");
        }
        if (datasets.get(id).isPresent()) {
          throw new ConflictException("Dataset " + id + " already exists; choose another id or omit it");
        }
      }
      dataset = new DatasetDefinition(id, requiredText(body, "name"),
          body.path("description").asText(""), format, schema,
          labelSchema == null || labelSchema.isNull() ? "" : labelSchema.toString(), visibility, owner, policy,
          clock.instant());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid dataset definition: " + e.getMessage());
    }
    if (!datasets.create(dataset)) { // created by another request (or another up on the same catalog) meanwhile
      throw new ConflictException("Dataset " + dataset.id() + " already exists; choose another id or omit it");
    }
    LOG.info("Created dataset {} ({}) owned by {}", dataset.id(), dataset.format().id(), owner);
    ex.setHeader("Location", "/v1/datasets/" + dataset.id());
    sendJson(ex, 201, dataset.toJson());
  }

  /** The dataset owner sets or replaces the label schema; answers already stored are kept as they are. */
  private void putLabelSchema(Exchange ex, String id) throws IOException {
    String caller = auth.authenticate(ex);
    DatasetDefinition dataset = readableDataset(ex, id);
    if (!dataset.owner().equals(caller)) {
      throw new AccessDeniedException("Only the owner of dataset " + id + " (" + dataset.owner()
          + ") may set its label schema; sign in with that address");
    }
    JsonNode schema = validLabelSchema(readJson(ex));
    DatasetDefinition updated = dataset.withLabelSchema(schema.toString());
    datasets.put(updated);
    LOG.info("Label schema of dataset {} set by {}", id, caller);
    sendJson(ex, 200, updated.toJson());
  }

  private JsonNode validLabelSchema(JsonNode labelSchema) {
    try {
      JsonNode out = labelSchema;
      for (ApiExtension extension : extensions) {
        out = extension.validateLabelSchema(out);
      }
      if (out == null || !out.isObject()) {
        throw new IllegalArgumentException("labelSchema must be a JSON object; see docs/labeling.md");
      }
      return out;
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid labelSchema: " + e.getMessage());
    }
  }

  /**
   * The datasets the caller may read (public ones, and private ones it owns or is admitted to), the caller's own
   * first, then by creation time, newest first.
   */
  private void listDatasets(Exchange ex) throws IOException {
    Optional<String> caller = auth.optionalCaller(ex);
    var out = Json.MAPPER.createObjectNode();
    var list = out.putArray("datasets");
    datasets.all().stream().filter(d -> d.readableBy(caller))
        .sorted(java.util.Comparator.<DatasetDefinition, Boolean>comparing(d -> !caller.map(d.owner()::equals)
            .orElse(false)).thenComparing(DatasetDefinition::createdAt, java.util.Comparator.reverseOrder()))
        .forEach(d -> list.add(d.toJson()));
    sendJson(ex, 200, out);
  }

  private void getDataset(Exchange ex, String id) throws IOException {
    DatasetDefinition dataset = readableDataset(ex, id);
    sendJson(ex, 200, dataset.toJson());
  }

  DatasetDefinition readableDataset(Exchange ex, String id) {
    DatasetDefinition dataset = datasets.require(id);
    if (!dataset.readableBy(auth.optionalCaller(ex))) {
      // Same answer as for a missing dataset: private datasets do not reveal that they exist.
      throw new ResourceNotFoundException("Dataset " + id + " does not exist");
    }
    return dataset;
  }
}
