package io.ledgerlake.jobs.reconcile;

import static java.util.Objects.requireNonNull;

/**
 * One checked item.
 *
 * @param check what kind of check: version_root, receipts, registration, records, record, upload_content,
 *     manifest_content
 * @param subject what was checked (asset_id@version, tag, record or content CID)
 * @param assetId on-chain asset id, or null
 * @param versionId on-chain version id, or null
 * @param tag lakehouse tag, or null
 * @param expected what the lakehouse / content store says, or null
 * @param actual what the chain (as indexed) or the store holds, or null
 */
public record ReconcileItem(
    String check,
    String subject,
    String assetId,
    String versionId,
    String tag,
    ReconcileStatus status,
    String expected,
    String actual,
    String detail) {
  public ReconcileItem {
    requireNonNull(check, "check");
    requireNonNull(subject, "subject");
    requireNonNull(status, "status");
  }

  /** One line for the CLI. */
  public String describe() {
    StringBuilder b = new StringBuilder().append(status).append(' ').append(check).append(' ').append(subject);
    if (tag != null) {
      b.append(" (").append(tag).append(')');
    }
    if (detail != null) {
      b.append(": ").append(detail);
    }
    return b.toString();
  }
}
