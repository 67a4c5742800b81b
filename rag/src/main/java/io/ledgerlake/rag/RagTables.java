package io.ledgerlake.rag;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.PinnedInput;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;

/** Pinning helpers shared by the rag jobs: a dataset's version tag, and a table's current snapshot. */
public final class RagTables {
  private RagTables() {}

  /**
   * The ingest.records tag {@code tag} of dataset {@code datasetId}, pinned to its snapshot; a user error if the tag
   * does not exist or belongs to another dataset (tags are {@code <dataset>-v<n>}).
   */
  public static PinnedInput versionOf(Lakehouse lakehouse, String datasetId, String tag) {
    if (datasetId == null || datasetId.isBlank()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "give a dataset id (--dataset)");
    }
    if (tag == null || !tag.matches(java.util.regex.Pattern.quote(datasetId) + "-v[1-9][0-9]*")) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "version '%s' is not a version tag of dataset %s; tags are %s-v<n> (see 'ledgerlake tables')", tag,
          datasetId, datasetId);
    }
    long snapshot = lakehouse.versions(TableModel.INGEST_RECORDS).snapshotOf(tag);
    return PinnedInput.tag(TableModel.INGEST_RECORDS.qualifiedName(), tag, snapshot);
  }

  /** {@code definition}'s current snapshot, pinned (-1 when the table has none yet). */
  public static PinnedInput current(Lakehouse lakehouse, TableDefinition definition) {
    return PinnedInput.currentSnapshot(lakehouse, definition);
  }
}
