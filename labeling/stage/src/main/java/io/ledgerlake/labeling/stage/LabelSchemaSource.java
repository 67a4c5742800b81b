package io.ledgerlake.labeling.stage;

import io.ledgerlake.labeling.annotation.LabelSchema;
import java.util.Optional;

/**
 * Where a dataset's label schema comes from: the dataset definition kept by the upload API (under {@code ledgerlake
 * up}, its in-memory store; for the CLI, the definition files under the ingestion data directory).
 */
@FunctionalInterface
public interface LabelSchemaSource {
  /** The dataset's schema; empty when the dataset has none (or does not exist). */
  Optional<LabelSchema> schema(String datasetId);
}
