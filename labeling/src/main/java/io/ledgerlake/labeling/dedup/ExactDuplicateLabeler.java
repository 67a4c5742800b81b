package io.ledgerlake.labeling.dedup;

import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import io.ledgerlake.labeling.text.TextNormalizer;
import java.io.Serial;
import java.util.List;

/**
 * Exact duplicates across datasets, two ways:
 *
 * <ul>
 *   <li>{@code exact.cid}: {@code first} or {@code repeat}, score = how many times this record CID has been seen. Equal
 *       CIDs mean byte-identical content, so the curated view (one row per CID) already holds one copy; this label is
 *       informational.
 *   <li>{@code exact.text}: {@code canonical} or {@code duplicate} of an earlier record whose text is equal after
 *       {@link TextNormalizer} (NFKC, case fold, whitespace collapse); duplicates also get {@code exact.text.canonical_cid}
 *       and {@code exact.text.hash}.
 * </ul>
 */
public final class ExactDuplicateLabeler implements Labeler {
  @Serial private static final long serialVersionUID = 1L;

  public static final String NAME = "exact_dup";
  public static final String CID_KEY = "exact.cid";
  public static final String TEXT_KEY = "exact.text";
  public static final String CANONICAL_CID_KEY = "exact.text.canonical_cid";
  public static final String HASH_KEY = "exact.text.hash";
  public static final String CANONICAL = "canonical";
  public static final String DUPLICATE = "duplicate";

  private final int maxEntries;
  private transient ExactDuplicateIndex ownIndex;

  public ExactDuplicateLabeler(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "nfkc-casefold-ws-sha256-1";
  }

  public ExactDuplicateIndex newIndex() {
    return new BoundedExactDuplicateIndex(maxEntries);
  }

  @Override
  public List<Label> label(String recordCid, String text) {
    if (ownIndex == null) {
      ownIndex = newIndex();
    }
    return label(recordCid, text, ownIndex);
  }

  public List<Label> label(String recordCid, String text, ExactDuplicateIndex index) {
    long occurrences = index.countOccurrence(recordCid);
    String hash = TextNormalizer.normalizedHash(text);
    String canonical = index.canonicalFor(hash, recordCid);
    Label cidLabel = new Label(recordCid, id(), CID_KEY, occurrences == 1 ? "first" : "repeat", occurrences);
    Label hashLabel = new Label(recordCid, id(), HASH_KEY, hash, 1.0);
    if (canonical.equals(recordCid)) {
      return List.of(cidLabel, new Label(recordCid, id(), TEXT_KEY, CANONICAL, 1.0), hashLabel);
    }
    return List.of(
        cidLabel,
        new Label(recordCid, id(), TEXT_KEY, DUPLICATE, 1.0),
        new Label(recordCid, id(), CANONICAL_CID_KEY, canonical, 1.0),
        hashLabel);
  }
}
