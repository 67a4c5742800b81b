package io.ledgerlake.labeling.lang;

import io.ledgerlake.labeling.ResourceLoadException;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.util.List;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * Language identification with Apache OpenNLP's pre-trained language detector ({@code langdetect-183.bin}, 103
 * languages, ISO 639-3 codes, shipped in the {@code opennlp-models-langdetect} Maven artifact). Emits {@code lang} =
 * the code (or {@code und} when the text has too few letters to judge or the model is not confident), score = the
 * model's probability. The model (≈10 MB) is loaded once per JVM and shared; each thread gets its own detector because
 * {@link LanguageDetectorME} is not documented as thread-safe.
 */
public final class LanguageLabeler implements Labeler {
  @Serial private static final long serialVersionUID = 1L;

  public static final String NAME = "lang";
  public static final String KEY = "lang";
  public static final String UNDETERMINED = "und";
  static final String MODEL_RESOURCE = "/langdetect-183.bin";
  /**
   * Characters scored per record. The model's cost grows linearly with the sample (character n-gram counting in a
   * HashMap) and it is the most expensive labeler, while 500 characters already hold several sentences.
   */
  public static final int DEFAULT_MAX_CHARS = 500;

  private final int minLetters;
  private final double minConfidence;
  /** Characters fed to the model: the detector's n-gram features saturate well before this, and it bounds cost. */
  private final int maxChars;

  private transient ThreadLocal<LanguageDetectorME> detector;

  public LanguageLabeler() {
    this(10, 0.0, DEFAULT_MAX_CHARS);
  }

  public LanguageLabeler(int minLetters, double minConfidence, int maxChars) {
    this.minLetters = minLetters;
    this.minConfidence = minConfidence;
    this.maxChars = maxChars;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    // model id + the cut-offs that change the output
    return "opennlp-langdetect-183-1.3.0+" + minLetters + "-" + minConfidence + "-" + maxChars;
  }

  /** The most likely language with its probability, or {@code und} with score 0. */
  public Language detect(String text) {
    String sample = text.length() > maxChars ? text.substring(0, maxChars) : text;
    int letters = 0;
    for (int i = 0; i < sample.length() && letters < minLetters; i++) {
      if (Character.isLetter(sample.charAt(i))) {
        letters++;
      }
    }
    if (letters < minLetters) {
      return new Language(UNDETERMINED, 0);
    }
    Language best = detector().predictLanguage(sample);
    if (best == null || best.getConfidence() < minConfidence) {
      return new Language(UNDETERMINED, best == null ? 0 : best.getConfidence());
    }
    return best;
  }

  @Override
  public List<Label> label(String recordCid, String text) {
    Language lang = detect(text);
    return List.of(new Label(recordCid, id(), KEY, lang.getLang(), lang.getConfidence()));
  }

  private LanguageDetectorME detector() {
    ThreadLocal<LanguageDetectorME> d = detector;
    if (d == null) {
      d = ThreadLocal.withInitial(() -> new LanguageDetectorME(ModelHolder.MODEL));
      detector = d;
    }
    return d.get();
  }

  /** Lazy, once-per-JVM model load (class initialization is thread-safe). */
  private static final class ModelHolder {
    static final LanguageDetectorModel MODEL = load();

    private static LanguageDetectorModel load() {
      try (InputStream in = LanguageLabeler.class.getResourceAsStream(MODEL_RESOURCE)) {
        if (in == null) {
          throw new ResourceLoadException(
              "OpenNLP language model " + MODEL_RESOURCE + " is not on the classpath: add the"
                  + " org.apache.opennlp:opennlp-models-langdetect dependency", null);
        }
        LanguageDetectorModel model = new LanguageDetectorModel(in);
        org.slf4j.LoggerFactory.getLogger(LanguageLabeler.class)
            .info("Loaded OpenNLP language model {} ({} languages)", MODEL_RESOURCE,
                model.getMaxentModel().getNumOutcomes());
        return model;
      } catch (IOException e) {
        throw new ResourceLoadException("cannot read OpenNLP language model " + MODEL_RESOURCE, e);
      }
    }
  }
}
