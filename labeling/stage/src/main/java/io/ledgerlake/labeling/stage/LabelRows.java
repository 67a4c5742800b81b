package io.ledgerlake.labeling.stage;

import io.ledgerlake.labeling.LabelingResult;
import io.ledgerlake.labeling.curation.CurationDecision;
import io.ledgerlake.labeling.curation.CurationPolicy;
import io.ledgerlake.labeling.curation.Exclusion;
import io.ledgerlake.labeling.curation.ExclusionReason;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.pii.PiiLabeler;
import io.ledgerlake.lakehouse.write.Rows;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;

/**
 * Rows of {@code label.labels} for one labeled record. Besides the labelers' own labels, two kinds of rows make the
 * curated view a plain query over this one table (so labels and curation commit atomically together):
 *
 * <ul>
 *   <li>labeler {@code curation}: key {@code curation} = {@code included}/{@code excluded} (score = number of
 *       exclusions), and one key {@code curation.exclusion.<REASON>} per exclusion whose value is the detail;
 *   <li>labeler {@code pii}: key {@code pii.redacted_text} = the redacted copy, only when something was redacted
 *       (what training and RAG read instead of the original text).
 * </ul>
 *
 * See docs/labeling.md, "Curated view in SQL".
 */
public final class LabelRows {
  public static final String CURATION = "curation";
  public static final String INCLUDED = "included";
  public static final String EXCLUDED = "excluded";
  public static final String EXCLUSION_KEY_PREFIX = "curation.exclusion.";
  public static final String REDACTED_TEXT_KEY = "pii.redacted_text";

  private LabelRows() {}

  /** {@code 1+<enforced reasons>}: a policy change is a new curation version, so old decisions stay attributable. */
  public static String curationVersion(CurationPolicy policy) {
    return "1+" + policy.enforced().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted()
        .collect(Collectors.joining("+"));
  }

  /** Every label of {@code result}, plus its curation rows and redacted copy. */
  public static List<Label> labelsOf(LabelingResult result, String piiLabelerId, CurationPolicy policy) {
    List<Label> out = new ArrayList<>(result.labels());
    if (!result.redaction().matches().isEmpty()) {
      out.add(new Label(result.recordCid(), piiLabelerId, REDACTED_TEXT_KEY, result.redaction().redactedText(),
          result.redaction().matches().size()));
    }
    out.addAll(curationLabels(result.decision(), curationVersion(policy)));
    return out;
  }

  static List<Label> curationLabels(CurationDecision decision, String version) {
    String id = CURATION + "@" + version;
    List<Label> out = new ArrayList<>();
    out.add(new Label(decision.recordCid(), id, CURATION, decision.included() ? INCLUDED : EXCLUDED,
        decision.exclusions().size()));
    for (Exclusion e : decision.exclusions()) {
      out.add(new Label(decision.recordCid(), id, EXCLUSION_KEY_PREFIX + e.reason().name(), e.detail(), 1.0));
    }
    return out;
  }

  /** The curation decision a record's stored curation rows describe (the evidence labeler is named by reason). */
  public static CurationDecision decisionOf(String recordCid, List<Label> curationRows) {
    List<Exclusion> exclusions = new ArrayList<>();
    for (Label l : curationRows) {
      if (l.key().startsWith(EXCLUSION_KEY_PREFIX)) {
        ExclusionReason reason = ExclusionReason.valueOf(l.key().substring(EXCLUSION_KEY_PREFIX.length()));
        exclusions.add(new Exclusion(recordCid, reason, l.labelerId(), l.value() == null ? "" : l.value()));
      }
    }
    return new CurationDecision(recordCid, exclusions);
  }

  public static Record toRow(Schema schema, String datasetId, Label label, OffsetDateTime labeledAt) {
    Map<String, Object> v = columns(datasetId, label);
    v.put(LABELED_AT, labeledAt);
    return Rows.of(schema, v);
  }

  /** Column {@code labeled_at}: the one column whose value depends on when, not on what, was labeled. */
  public static final String LABELED_AT = "labeled_at";

  /**
   * The columns of one label row by name, except {@link #LABELED_AT}: the batch stage makes an Iceberg record of them,
   * the Flink job a {@code RowData}.
   */
  public static Map<String, Object> columns(String datasetId, Label label) {
    int at = label.labelerId().indexOf('@');
    Map<String, Object> v = new HashMap<>();
    v.put("record_cid", label.recordCid());
    v.put("dataset_id", datasetId);
    v.put("labeler", at < 0 ? label.labelerId() : label.labelerId().substring(0, at));
    v.put("labeler_version", at < 0 ? "" : label.labelerId().substring(at + 1));
    v.put("label_key", label.key());
    v.put("value", label.value());
    v.put("score", label.score());
    return v;
  }

  public static Label fromRow(Record row) {
    String version = (String) row.getField("labeler_version");
    String labeler = (String) row.getField("labeler");
    Double score = (Double) row.getField("score");
    return new Label((String) row.getField("record_cid"), version == null || version.isEmpty() ? labeler
        : labeler + "@" + version, (String) row.getField("label_key"), row.getField("value") == null ? "" : (String) row.getField("value"),
        score == null ? 0.0 : score);
  }

  /** True for the piiLabeler's redacted copy row. */
  static boolean isRedactedText(Label l) {
    return l.key().equals(REDACTED_TEXT_KEY) && l.labelerId().startsWith(PiiLabeler.NAME + "@");
  }
}
