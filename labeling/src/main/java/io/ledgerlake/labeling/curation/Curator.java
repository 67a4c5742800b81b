package io.ledgerlake.labeling.curation;

import io.ledgerlake.labeling.dedup.ExactDuplicateLabeler;
import io.ledgerlake.labeling.dedup.NearDuplicateLabeler;
import io.ledgerlake.labeling.harm.HarmLabeler;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.pii.PiiLabeler;
import io.ledgerlake.labeling.quality.QualityLabeler;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns one record's labels into a {@link CurationDecision}. Reads labels by labeler name (any version) and key, so a
 * decision can be recomputed from {@code label.labels} alone, e.g. after a policy change, without re-running labelers.
 */
public final class Curator implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final CurationPolicy policy;

  public Curator(CurationPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public CurationPolicy policy() {
    return policy;
  }

  public CurationDecision decide(String recordCid, List<Label> labels) {
    List<Exclusion> out = new ArrayList<>();
    Label harm = find(labels, recordCid, HarmLabeler.NAME, HarmLabeler.KEY);
    if (harm != null && HarmLabeler.FLAGGED.equals(harm.value())) {
      String categories = labels.stream()
          .filter(l -> l.recordCid().equals(recordCid) && nameOf(l).equals(HarmLabeler.NAME)
              && HarmLabeler.FLAGGED.equals(l.value()) && l.key().startsWith(HarmLabeler.KEY + "."))
          .map(l -> l.key().substring(HarmLabeler.KEY.length() + 1))
          .collect(Collectors.joining(","));
      add(out, recordCid, ExclusionReason.HARMFUL, harm, "categories=" + categories);
    }
    Label exact = find(labels, recordCid, ExactDuplicateLabeler.NAME, ExactDuplicateLabeler.TEXT_KEY);
    if (exact != null && ExactDuplicateLabeler.DUPLICATE.equals(exact.value())) {
      Label canon = find(labels, recordCid, ExactDuplicateLabeler.NAME, ExactDuplicateLabeler.CANONICAL_CID_KEY);
      add(out, recordCid, ExclusionReason.EXACT_DUPLICATE, exact,
          "canonical=" + (canon == null ? "?" : canon.value()));
    }
    Label near = find(labels, recordCid, NearDuplicateLabeler.NAME, NearDuplicateLabeler.KEY);
    if (near != null && NearDuplicateLabeler.DUPLICATE.equals(near.value())) {
      Label canon = find(labels, recordCid, NearDuplicateLabeler.NAME, NearDuplicateLabeler.CANONICAL_CID_KEY);
      add(out, recordCid, ExclusionReason.NEAR_DUPLICATE, near,
          String.format(Locale.ROOT, "canonical=%s jaccard=%.3f", canon == null ? "?" : canon.value(), near.score()));
    }
    Label pii = find(labels, recordCid, PiiLabeler.NAME, PiiLabeler.KEY);
    if (pii != null && PiiLabeler.UNREDACTABLE.equals(pii.value())) {
      Label reason = find(labels, recordCid, PiiLabeler.NAME, PiiLabeler.REASON_KEY);
      add(out, recordCid, ExclusionReason.UNREDACTABLE_PII, pii, "reasons=" + (reason == null ? "?" : reason.value()));
    }
    Label quality = find(labels, recordCid, QualityLabeler.NAME, QualityLabeler.SUMMARY_KEY);
    if (quality != null && QualityLabeler.FAIL.equals(quality.value())) {
      String failed = labels.stream()
          .filter(l -> l.recordCid().equals(recordCid) && nameOf(l).equals(QualityLabeler.NAME)
              && l.key().startsWith(QualityLabeler.SUMMARY_KEY + ".") && QualityLabeler.FAIL.equals(l.value()))
          .map(l -> l.key().substring(QualityLabeler.SUMMARY_KEY.length() + 1))
          .collect(Collectors.joining(","));
      add(out, recordCid, ExclusionReason.LOW_QUALITY, quality, "failed=" + failed);
    }
    return new CurationDecision(recordCid, out);
  }

  private void add(List<Exclusion> out, String cid, ExclusionReason reason, Label evidence, String detail) {
    if (policy.enforced().contains(reason)) {
      out.add(new Exclusion(cid, reason, evidence.labelerId(), detail));
    }
  }

  private static Label find(List<Label> labels, String cid, String labelerName, String key) {
    for (Label l : labels) {
      if (l.recordCid().equals(cid) && l.key().equals(key) && nameOf(l).equals(labelerName)) {
        return l;
      }
    }
    return null;
  }

  static String nameOf(Label l) {
    int at = l.labelerId().indexOf('@');
    return at < 0 ? l.labelerId() : l.labelerId().substring(0, at);
  }
}
