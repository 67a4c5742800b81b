package io.ledgerlake.ingestion.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Endpoints another module serves through the upload API, with its authentication and error mapping (the labeling
 * module's annotation endpoints, registered by {@code ledgerlake up}). The upload API does not depend on the modules
 * behind its extensions; they depend on it.
 *
 * <p>Handlers throw the API's exception types to answer with an error: {@link BadRequestException} (400),
 * {@link AccessDeniedException} (403), {@link ResourceNotFoundException} (404), {@link ConflictException} (409);
 * anything else becomes a 500 with a reference in the log.
 */
public interface ApiExtension {
  /**
   * Answers the request if it is one of this extension's routes and returns true; returns false (having read and
   * written nothing) otherwise.
   */
  boolean handle(ApiRequest request) throws IOException;

  /**
   * Validates a dataset's {@code labelSchema} (at {@code POST /v1/datasets} and {@code PUT
   * /v1/datasets/{id}/label-schema}) and returns the JSON to store. Throw {@link IllegalArgumentException} with a
   * message saying what is wrong and what to send instead. Default: stored as given.
   */
  default JsonNode validateLabelSchema(JsonNode labelSchema) {
    return labelSchema;
  }
}
