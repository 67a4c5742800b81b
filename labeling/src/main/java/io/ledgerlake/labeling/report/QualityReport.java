package io.ledgerlake.labeling.report;

import io.ledgerlake.labeling.consensus.AnnotatorQuality;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.labeling.curation.CurationDecision;
import io.ledgerlake.labeling.curation.Exclusion;
import io.ledgerlake.labeling.curation.ExclusionReason;
import io.ledgerlake.labeling.label.Label;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The data behind {@code ledgerlake quality --dataset ID}: label distribution, exclusions by reason, agreement, and the
 * top and bottom annotators. Built from rows the lakehouse already holds, so the CLI only queries and prints.
 */
public record QualityReport(
    long records,
    long included,
    Map<String, Map<String, Long>> labelDistribution,
    Map<ExclusionReason, Long> exclusionsByReason,
    double krippendorffAlpha,
    List<AnnotatorQuality.Accuracy> topAnnotators,
    List<AnnotatorQuality.Accuracy> bottomAnnotators) {

  /** Summary label keys whose value distribution the report shows (per-rule and per-type keys are too detailed). */
  public static final Set<String> SUMMARY_KEYS =
      Set.of("lang", "quality", "pii", "harm", "exact.text", "near_dup");

  public QualityReport {
    labelDistribution = java.util.Collections.unmodifiableMap(new TreeMap<>(labelDistribution));
    exclusionsByReason = java.util.Collections.unmodifiableMap(new EnumMap<>(exclusionsByReason));
    topAnnotators = List.copyOf(topAnnotators);
    bottomAnnotators = List.copyOf(bottomAnnotators);
  }

  /**
   * @param topN how many annotators to list at each end, ranked by accuracy against consensus (ties: more compared
   *     answers first, then id); annotators with fewer than {@code minAnswers} compared answers are not ranked
   */
  public static QualityReport build(Collection<Label> labels, Collection<CurationDecision> decisions,
      DatasetConsensus consensus, int topN, int minAnswers) {
    Map<String, Map<String, Long>> distribution = new TreeMap<>();
    for (Label l : labels) {
      if (SUMMARY_KEYS.contains(l.key())) {
        distribution.computeIfAbsent(l.key(), k -> new TreeMap<>()).merge(l.value(), 1L, Long::sum);
      }
    }
    Map<ExclusionReason, Long> byReason = new EnumMap<>(ExclusionReason.class);
    long included = 0;
    for (CurationDecision d : decisions) {
      if (d.included()) {
        included++;
      }
      for (Exclusion e : d.exclusions()) {
        byReason.merge(e.reason(), 1L, Long::sum);
      }
    }
    List<AnnotatorQuality.Accuracy> ranked = new ArrayList<>();
    for (AnnotatorQuality.Accuracy a : consensus.vsConsensus().values()) {
      if (a.compared() >= minAnswers) {
        ranked.add(a);
      }
    }
    ranked.sort(Comparator.comparingDouble(AnnotatorQuality.Accuracy::accuracy).reversed()
        .thenComparing(Comparator.comparingInt(AnnotatorQuality.Accuracy::compared).reversed())
        .thenComparing(AnnotatorQuality.Accuracy::workerId));
    List<AnnotatorQuality.Accuracy> top = ranked.subList(0, Math.min(topN, ranked.size()));
    List<AnnotatorQuality.Accuracy> bottom = new ArrayList<>(ranked.subList(Math.max(0, ranked.size() - topN),
        ranked.size()));
    java.util.Collections.reverse(bottom);
    return new QualityReport(decisions.size(), included, distribution, byReason, consensus.krippendorffAlpha(), top,
        bottom);
  }

  /** Plain-text rendering for the CLI. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "records: %d, in curated view: %d, excluded: %d%n", records, included,
        records - included));
    sb.append("exclusions by reason:\n");
    exclusionsByReason.forEach((r, n) -> sb.append(String.format(Locale.ROOT, "  %-18s %d%n", r, n)));
    sb.append("label distribution:\n");
    labelDistribution.forEach((k, m) -> sb.append("  ").append(k).append(": ").append(m).append('\n'));
    sb.append(Double.isNaN(krippendorffAlpha)
        ? "agreement (Krippendorff's alpha, nominal): n/a (no record has two answers yet)\n"
        : String.format(Locale.ROOT, "agreement (Krippendorff's alpha, nominal): %.3f%n", krippendorffAlpha));
    sb.append("top annotators (accuracy vs consensus):\n");
    top(sb, topAnnotators);
    sb.append("bottom annotators:\n");
    top(sb, bottomAnnotators);
    return sb.toString();
  }

  private static void top(StringBuilder sb, List<AnnotatorQuality.Accuracy> list) {
    for (AnnotatorQuality.Accuracy a : list) {
      sb.append(String.format(Locale.ROOT, "  %-20s %.3f (%d answers)%n", a.workerId(), a.accuracy(), a.compared()));
    }
  }
}
