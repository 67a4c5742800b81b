package io.ledgerlake.labeling;

import io.ledgerlake.labeling.curation.CurationPolicy;
import io.ledgerlake.labeling.curation.Curator;
import io.ledgerlake.labeling.dedup.BoundedExactDuplicateIndex;
import io.ledgerlake.labeling.dedup.ExactDuplicateLabeler;
import io.ledgerlake.labeling.dedup.LshIndex;
import io.ledgerlake.labeling.dedup.NearDuplicateLabeler;
import io.ledgerlake.labeling.harm.HarmLabeler;
import io.ledgerlake.labeling.harm.HarmLexicon;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import io.ledgerlake.labeling.lang.LanguageLabeler;
import io.ledgerlake.labeling.pii.PiiLabeler;
import io.ledgerlake.labeling.pii.RedactionResult;
import io.ledgerlake.labeling.quality.QualityLabeler;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole labeling stage for one record: language, quality, PII (with the redacted copy), harm, exact and near
 * duplicates, then the curation decision. Serializable configuration only; the mutable part is a {@link LabelingState}
 * passed in, so a Flink operator owns and checkpoints it. Duplicate detection runs on the original text, so a record
 * and its copy that differ only in PII still match.
 */
public final class LabelingPipeline implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final LanguageLabeler language;
  private final QualityLabeler quality;
  private final PiiLabeler pii;
  private final HarmLabeler harm;
  private final ExactDuplicateLabeler exact;
  private final NearDuplicateLabeler near;
  private final Curator curator;
  private final int exactMaxEntries;

  public LabelingPipeline(LabelingOptions options) {
    this.language = new LanguageLabeler(options.langMinLetters(), 0.0, options.langMaxChars());
    this.quality = new QualityLabeler();
    this.pii = new PiiLabeler(options.piiDefaultRegion(), options.piiMaxRedactedFraction());
    this.harm = new HarmLabeler(HarmLexicon.defaultLexicon());
    this.exactMaxEntries = options.exactMaxEntries();
    this.exact = new ExactDuplicateLabeler(exactMaxEntries);
    this.near = new NearDuplicateLabeler(options.lshParams());
    this.curator = new Curator(CurationPolicy.defaults().withLowQuality(options.curationExcludeLowQuality()));
  }

  public LabelingState newState() {
    return new LabelingState(new BoundedExactDuplicateIndex(exactMaxEntries), new LshIndex(near.params()));
  }

  /** The labelers in the order they run, e.g. for a benchmark or to list versions. */
  public List<Labeler> labelers() {
    return List.of(language, quality, pii, harm, exact, near);
  }

  public Curator curator() {
    return curator;
  }

  public LabelingResult process(String recordCid, String text, LabelingState state) {
    List<Label> labels = new ArrayList<>(48);
    labels.addAll(language.label(recordCid, text));
    labels.addAll(quality.label(recordCid, text));
    RedactionResult redaction = pii.redact(text);
    labels.addAll(pii.labels(recordCid, redaction));
    labels.addAll(harm.label(recordCid, text));
    labels.addAll(exact.label(recordCid, text, state.exact()));
    labels.addAll(near.label(recordCid, text, state.near()));
    return new LabelingResult(recordCid, labels, redaction, curator.decide(recordCid, labels));
  }
}
