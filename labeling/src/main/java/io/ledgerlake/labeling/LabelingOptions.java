package io.ledgerlake.labeling;

import io.ledgerlake.labeling.dedup.LshParams;
import java.util.Map;
import java.util.Objects;

/**
 * Every configuration key of the labeling module with its default. Precedence (applied by the caller that builds the
 * map): CLI flag > environment > properties file > default.
 */
public final class LabelingOptions implements java.io.Serializable {
  // Serializable so a Flink operator can carry it and build its LabelingPipeline (and language model) in open().
  @java.io.Serial private static final long serialVersionUID = 1L;

  public static final String PREFIX = "ledgerlake.labeling.";

  public static final String LSH_BANDS = PREFIX + "near-dup.bands";
  public static final int LSH_BANDS_DEFAULT = LshParams.defaults().bands();
  public static final String LSH_ROWS = PREFIX + "near-dup.rows";
  public static final int LSH_ROWS_DEFAULT = LshParams.defaults().rows();
  public static final String LSH_THRESHOLD = PREFIX + "near-dup.threshold";
  public static final double LSH_THRESHOLD_DEFAULT = LshParams.defaults().threshold();
  public static final String LSH_CAPACITY = PREFIX + "near-dup.max-entries";
  public static final int LSH_CAPACITY_DEFAULT = LshParams.defaults().capacity();
  public static final String LSH_SHINGLE_WORDS = PREFIX + "near-dup.shingle-words";
  public static final int LSH_SHINGLE_WORDS_DEFAULT = LshParams.defaults().shingleSize();
  public static final String LSH_SEED = PREFIX + "near-dup.seed";
  public static final long LSH_SEED_DEFAULT = LshParams.defaults().hasherSeed();

  public static final String EXACT_MAX_ENTRIES = PREFIX + "exact-dup.max-entries";
  public static final int EXACT_MAX_ENTRIES_DEFAULT = 1_000_000;

  public static final String PII_DEFAULT_REGION = PREFIX + "pii.default-region";
  public static final String PII_DEFAULT_REGION_DEFAULT = "US";
  public static final String PII_MAX_REDACTED_FRACTION = PREFIX + "pii.max-redacted-fraction";
  public static final double PII_MAX_REDACTED_FRACTION_DEFAULT = 0.3;

  public static final String LANG_MIN_LETTERS = PREFIX + "lang.min-letters";
  public static final int LANG_MIN_LETTERS_DEFAULT = 10;
  public static final String LANG_MAX_CHARS = PREFIX + "lang.max-chars";
  public static final int LANG_MAX_CHARS_DEFAULT = 500;

  public static final String CURATION_EXCLUDE_LOW_QUALITY = PREFIX + "curation.exclude-low-quality";
  public static final boolean CURATION_EXCLUDE_LOW_QUALITY_DEFAULT = false;

  public static final String ANNOTATION_OVERLAP = PREFIX + "annotation.overlap";
  public static final int ANNOTATION_OVERLAP_DEFAULT = 3;
  /** How long a task reservation (lease) holds a record for its annotator, ISO-8601. */
  public static final String ANNOTATION_LEASE = PREFIX + "annotation.lease";
  public static final String ANNOTATION_LEASE_DEFAULT = "PT30M";

  public static final String DS_MAX_ITERATIONS = PREFIX + "consensus.dawid-skene.max-iterations";
  public static final int DS_MAX_ITERATIONS_DEFAULT = 100;
  public static final String DS_TOLERANCE = PREFIX + "consensus.dawid-skene.tolerance";
  public static final double DS_TOLERANCE_DEFAULT = 1e-6;

  public static final String WEIGHTS_PROVIDER_BPS = PREFIX + "weights.provider-pool-bps";
  public static final int WEIGHTS_PROVIDER_BPS_DEFAULT = 8_000;
  public static final String WEIGHTS_ANNOTATOR_BPS = PREFIX + "weights.annotator-pool-bps";
  public static final int WEIGHTS_ANNOTATOR_BPS_DEFAULT = 1_500;
  public static final String WEIGHTS_REVIEWER_BPS = PREFIX + "weights.reviewer-pool-bps";
  public static final int WEIGHTS_REVIEWER_BPS_DEFAULT = 500;

  private final Map<String, String> values;

  private LabelingOptions(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static LabelingOptions defaults() {
    return new LabelingOptions(Map.of());
  }

  /** Every key this class reads (the stage and Flink job keys under the same prefix have their own classes). */
  public static final java.util.List<String> KEYS = java.util.List.of(
      LSH_BANDS, LSH_ROWS, LSH_THRESHOLD, LSH_CAPACITY, LSH_SHINGLE_WORDS, LSH_SEED, EXACT_MAX_ENTRIES,
      PII_DEFAULT_REGION, PII_MAX_REDACTED_FRACTION, LANG_MIN_LETTERS, LANG_MAX_CHARS, CURATION_EXCLUDE_LOW_QUALITY,
      ANNOTATION_OVERLAP, ANNOTATION_LEASE, DS_MAX_ITERATIONS, DS_TOLERANCE, WEIGHTS_PROVIDER_BPS,
      WEIGHTS_ANNOTATOR_BPS, WEIGHTS_REVIEWER_BPS);

  /** Options with the one precedence (flag &gt; environment &gt; properties file &gt; default). */
  public static LabelingOptions from(io.ledgerlake.common.config.Settings settings) {
    return fromMap(settings.values(KEYS));
  }

  /** Options from a flat map; keys outside {@link #PREFIX} are ignored so one map can serve every module. */
  public static LabelingOptions fromMap(Map<String, String> values) {
    return new LabelingOptions(Objects.requireNonNull(values, "values"));
  }

  public LshParams lshParams() {
    return new LshParams(
        integer(LSH_BANDS, LSH_BANDS_DEFAULT),
        integer(LSH_ROWS, LSH_ROWS_DEFAULT),
        decimal(LSH_THRESHOLD, LSH_THRESHOLD_DEFAULT),
        integer(LSH_CAPACITY, LSH_CAPACITY_DEFAULT),
        integer(LSH_SHINGLE_WORDS, LSH_SHINGLE_WORDS_DEFAULT),
        longValue(LSH_SEED, LSH_SEED_DEFAULT));
  }

  public int exactMaxEntries() {
    return integer(EXACT_MAX_ENTRIES, EXACT_MAX_ENTRIES_DEFAULT);
  }

  public String piiDefaultRegion() {
    return values.getOrDefault(PII_DEFAULT_REGION, PII_DEFAULT_REGION_DEFAULT);
  }

  public double piiMaxRedactedFraction() {
    return decimal(PII_MAX_REDACTED_FRACTION, PII_MAX_REDACTED_FRACTION_DEFAULT);
  }

  public int langMinLetters() {
    return integer(LANG_MIN_LETTERS, LANG_MIN_LETTERS_DEFAULT);
  }

  public int langMaxChars() {
    return integer(LANG_MAX_CHARS, LANG_MAX_CHARS_DEFAULT);
  }

  public boolean curationExcludeLowQuality() {
    String v = values.get(CURATION_EXCLUDE_LOW_QUALITY);
    if (v == null) {
      return CURATION_EXCLUDE_LOW_QUALITY_DEFAULT;
    }
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new InvalidLabelingInputException(
          "option " + CURATION_EXCLUDE_LOW_QUALITY + " must be true or false, got '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  public int annotationOverlap() {
    return integer(ANNOTATION_OVERLAP, ANNOTATION_OVERLAP_DEFAULT);
  }

  public java.time.Duration annotationLease() {
    String v = values.getOrDefault(ANNOTATION_LEASE, ANNOTATION_LEASE_DEFAULT);
    try {
      java.time.Duration d = java.time.Duration.parse(v.strip());
      InvalidLabelingInputException.check(!d.isNegative() && !d.isZero(), "option %s must be positive, got '%s'",
          ANNOTATION_LEASE, v);
      return d;
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidLabelingInputException("option " + ANNOTATION_LEASE
          + " must be an ISO-8601 duration such as PT30M, got '" + v + "'");
    }
  }

  public int dawidSkeneMaxIterations() {
    return integer(DS_MAX_ITERATIONS, DS_MAX_ITERATIONS_DEFAULT);
  }

  public double dawidSkeneTolerance() {
    return decimal(DS_TOLERANCE, DS_TOLERANCE_DEFAULT);
  }

  public int providerPoolBps() {
    return integer(WEIGHTS_PROVIDER_BPS, WEIGHTS_PROVIDER_BPS_DEFAULT);
  }

  public int annotatorPoolBps() {
    return integer(WEIGHTS_ANNOTATOR_BPS, WEIGHTS_ANNOTATOR_BPS_DEFAULT);
  }

  public int reviewerPoolBps() {
    return integer(WEIGHTS_REVIEWER_BPS, WEIGHTS_REVIEWER_BPS_DEFAULT);
  }

  private int integer(String key, int def) {
    String v = values.get(key);
    try {
      return v == null ? def : Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidLabelingInputException("option " + key + " must be an integer, got '" + v + "'");
    }
  }

  private long longValue(String key, long def) {
    String v = values.get(key);
    try {
      return v == null ? def : Long.decode(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidLabelingInputException("option " + key + " must be an integer, got '" + v + "'");
    }
  }

  private double decimal(String key, double def) {
    String v = values.get(key);
    try {
      return v == null ? def : Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidLabelingInputException("option " + key + " must be a number, got '" + v + "'");
    }
  }
}
