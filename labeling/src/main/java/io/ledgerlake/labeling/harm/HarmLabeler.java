package io.ledgerlake.labeling.harm;

import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import io.ledgerlake.labeling.text.TextNormalizer;
import java.io.Serial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lexicon-based harmful-content flagging. Labels: {@code harm} = {@code flagged} | {@code clean} (score = the highest
 * category score divided by its threshold), and {@code harm.<category>} = {@code flagged} | {@code below} for every
 * category with a match (score = summed weight). Thread-safe.
 */
public final class HarmLabeler implements Labeler {
  @Serial private static final long serialVersionUID = 1L;

  public static final String NAME = "harm";
  public static final String KEY = "harm";
  public static final String FLAGGED = "flagged";
  public static final String CLEAN = "clean";
  public static final String BELOW = "below";
  /** A phrase repeated many times (quotes, lists) counts at most this often. */
  static final int MAX_COUNT_PER_PHRASE = 2;

  private final HarmLexicon lexicon;

  public HarmLabeler(HarmLexicon lexicon) {
    this.lexicon = Objects.requireNonNull(lexicon, "lexicon");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "lexicon-v" + lexicon.version();
  }

  /** Summed weight per category with at least one match, in lexicon order. */
  public Map<String, Double> scores(String text) {
    String[] words = TextNormalizer.normalize(text).replace('\u2019', '\'').split("[^\\p{L}\\p{N}']+");
    Map<HarmLexicon.Entry, Integer> counts = new HashMap<>();
    for (int i = 0; i < words.length; i++) {
      for (HarmLexicon.Entry e : lexicon.startingWith(words[i])) {
        List<String> phrase = e.words();
        if (i + phrase.size() > words.length) {
          continue;
        }
        boolean match = true;
        for (int k = 1; k < phrase.size() && match; k++) {
          match = phrase.get(k).equals(words[i + k]);
        }
        if (match) {
          counts.merge(e, 1, Integer::sum);
        }
      }
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    for (String category : lexicon.categories().keySet()) {
      double s = 0;
      for (Map.Entry<HarmLexicon.Entry, Integer> c : counts.entrySet()) {
        if (c.getKey().category().equals(category)) {
          s += c.getKey().weight() * Math.min(MAX_COUNT_PER_PHRASE, c.getValue());
        }
      }
      if (s > 0) {
        scores.put(category, s);
      }
    }
    return scores;
  }

  @Override
  public List<Label> label(String recordCid, String text) {
    Map<String, Double> scores = scores(text);
    List<Label> out = new ArrayList<>();
    double worst = 0;
    boolean flagged = false;
    for (Map.Entry<String, Double> s : scores.entrySet()) {
      double threshold = lexicon.categories().get(s.getKey()).threshold();
      boolean hit = s.getValue() >= threshold;
      flagged |= hit;
      worst = Math.max(worst, s.getValue() / threshold);
      out.add(new Label(recordCid, id(), KEY + "." + s.getKey(), hit ? FLAGGED : BELOW, s.getValue()));
    }
    out.add(0, new Label(recordCid, id(), KEY, flagged ? FLAGGED : CLEAN, worst));
    return out;
  }
}
