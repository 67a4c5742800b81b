package io.ledgerlake.ingestion.dataset;

import java.util.Optional;

/**
 * Where dataset definitions (schema, label schema, visibility, owner) are looked up by modules other than the upload
 * API that owns them — labeling reads label schemas through it — so that they do not depend on how the upload API
 * stores them. Today's implementation reads the upload API's files ({@code DatasetFiles.registry}); a registry in the
 * catalog database can replace it for several processes on several machines.
 */
@FunctionalInterface
public interface DatasetRegistry {
  /** The definition of dataset {@code id}, read fresh (a running upload API may have changed it). */
  Optional<DatasetDefinition> find(String id);
}
