package io.ledgerlake.labeling.dedup;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import java.io.Serial;
import java.util.List;
import java.util.Objects;

/**
 * Near-duplicate labeler: MinHash over word shingles + LSH. Emits {@code near_dup} = {@code canonical} or
 * {@code duplicate} (score = estimated Jaccard with the canonical; 1.0 when canonical) and, for duplicates,
 * {@code near_dup.canonical_cid}. Texts with no words get {@code near_dup} = {@code empty}.
 *
 * <p>The labeler itself is stateless configuration; the state is the {@link NearDuplicateIndex} passed per call, which a
 * Flink operator keeps in checkpointed state. The convenience {@link #label(String, String)} uses a private index.
 */
public final class NearDuplicateLabeler implements Labeler {
  @Serial private static final long serialVersionUID = 1L;

  public static final String NAME = "near_dup";
  public static final String KEY = "near_dup";
  public static final String CANONICAL_CID_KEY = "near_dup.canonical_cid";
  public static final String CANONICAL = "canonical";
  public static final String DUPLICATE = "duplicate";
  public static final String EMPTY = "empty";

  private final LshParams params;
  private final MinHasher hasher;
  private transient NearDuplicateIndex ownIndex;

  public NearDuplicateLabeler(LshParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.hasher = params.newHasher();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "minhash32-" + params.shingleSize() + "w-" + params.bands() + "x" + params.rows() + "-t" + params.threshold()
        + "-s" + Long.toHexString(params.hasherSeed());
  }

  public LshParams params() {
    return params;
  }

  public MinHasher hasher() {
    return hasher;
  }

  public NearDuplicateIndex newIndex() {
    return new LshIndex(params);
  }

  @Override
  public List<Label> label(String recordCid, String text) {
    if (ownIndex == null) {
      ownIndex = newIndex();
    }
    return label(recordCid, text, ownIndex);
  }

  public List<Label> label(String recordCid, String text, NearDuplicateIndex index) {
    InvalidLabelingInputException.check(
        index.params().equals(params), "index parameters %s do not match labeler %s", index.params(), params);
    int[] sig = hasher.signature(text);
    if (sig == null) {
      return List.of(new Label(recordCid, id(), KEY, EMPTY, 0.0));
    }
    NearDuplicateResult r = index.findOrInsert(recordCid, sig);
    if (r.kind() == NearDuplicateResult.Kind.DUPLICATE) {
      return List.of(
          new Label(recordCid, id(), KEY, DUPLICATE, r.jaccard()),
          new Label(recordCid, id(), CANONICAL_CID_KEY, r.canonicalCid(), r.jaccard()));
    }
    return List.of(new Label(recordCid, id(), KEY, CANONICAL, 1.0));
  }
}
