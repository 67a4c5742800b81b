package io.ledgerlake.labeling.harm;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.ResourceLoadException;
import io.ledgerlake.labeling.text.TextNormalizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A versioned harmful-content lexicon: categories with thresholds, and weighted phrases. Format in
 * {@code harm-lexicon-v1.tsv}; parsing is strict (every phrase's category must be declared) so a typo fails loudly.
 */
public final class HarmLexicon implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  public static final String DEFAULT_RESOURCE = "/io/ledgerlake/labeling/harm/harm-lexicon-v1.tsv";

  public record Category(String name, double threshold, String description) implements Serializable {
    public Category {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
    }
  }

  public record Entry(List<String> words, String category, double weight) implements Serializable {
    public Entry {
      words = List.copyOf(words);
      Objects.requireNonNull(category, "category");
    }
  }

  private final String version;
  private final Map<String, Category> categories;
  private final List<Entry> entries;
  /** First word -> entries starting with it, for a single left-to-right scan. */
  private final Map<String, List<Entry>> byFirstWord;

  private HarmLexicon(String version, Map<String, Category> categories, List<Entry> entries) {
    this.version = version;
    this.categories = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(categories));
    this.entries = List.copyOf(entries);
    Map<String, List<Entry>> index = new HashMap<>();
    for (Entry e : entries) {
      index.computeIfAbsent(e.words().get(0), k -> new ArrayList<>()).add(e);
    }
    this.byFirstWord = index;
  }

  public static HarmLexicon defaultLexicon() {
    try (InputStream in = HarmLexicon.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new ResourceLoadException("harm lexicon " + DEFAULT_RESOURCE + " is missing from the labeling jar", null);
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new ResourceLoadException("cannot read harm lexicon " + DEFAULT_RESOURCE, e);
    }
  }

  public static HarmLexicon parse(Reader reader, String sourceName) throws IOException {
    String version = null;
    Map<String, Category> categories = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    BufferedReader r = new BufferedReader(reader);
    int lineNo = 0;
    for (String line; (line = r.readLine()) != null; ) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f[0].equals("@version")) {
        check(f.length == 2, sourceName, lineNo, "expected '@version<TAB>N'");
        version = f[1].strip();
      } else if (f[0].equals("@category")) {
        check(f.length == 4, sourceName, lineNo, "expected '@category<TAB>name<TAB>threshold<TAB>description'");
        categories.put(f[1], new Category(f[1], number(f[2], sourceName, lineNo), f[3]));
      } else {
        check(f.length == 3, sourceName, lineNo, "expected 'phrase<TAB>category<TAB>weight'");
        check(categories.containsKey(f[1]), sourceName, lineNo, "undeclared category '" + f[1] + "'");
        String norm = TextNormalizer.normalize(f[0]);
        check(!norm.isEmpty(), sourceName, lineNo, "empty phrase");
        entries.add(new Entry(List.of(norm.split(" ")), f[1], number(f[2], sourceName, lineNo)));
      }
    }
    check(version != null, sourceName, lineNo, "missing '@version' line");
    return new HarmLexicon(version, categories, entries);
  }

  private static double number(String s, String source, int line) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw new InvalidLabelingInputException(source + ":" + line + ": '" + s + "' is not a number");
    }
  }

  private static void check(boolean ok, String source, int line, String what) {
    if (!ok) {
      throw new InvalidLabelingInputException("harm lexicon " + source + ":" + line + ": " + what);
    }
  }

  public String version() {
    return version;
  }

  public Map<String, Category> categories() {
    return categories;
  }

  public List<Entry> entries() {
    return entries;
  }

  List<Entry> startingWith(String word) {
    return byFirstWord.getOrDefault(word, List.of());
  }
}
