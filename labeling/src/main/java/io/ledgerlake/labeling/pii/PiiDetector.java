package io.ledgerlake.labeling.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.IBANValidator;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * Finds PII and secrets in text. Each detector pairs a permissive pattern with a validator (Luhn + issuer prefix for
 * cards, ISO 13616 mod-97 + per-country length for IBANs, libphonenumber validity for phones, address grammar for IPs,
 * the BIP-39 word list and checksum for seed phrases). Overlaps are resolved by detector priority (secrets first), so
 * e.g. digits inside an IBAN are not also reported as a phone number. Immutable and thread-safe.
 */
public final class PiiDetector implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private static final Pattern EMAIL = Pattern.compile(
      "(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-][A-Za-z0-9._%+-]{0,63}@"
          + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])");
  private static final Pattern OBFUSCATED_EMAIL = Pattern.compile(
      "(?i)(?<![A-Za-z0-9._%+-])[a-z0-9._%+-]+\\s*[\\[({]\\s*at\\s*[\\])}]\\s*[a-z0-9-]+"
          + "(?:\\s*[\\[({]\\s*dot\\s*[\\])}]\\s*[a-z0-9-]+)+");
  private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  private static final Pattern IBAN =
      Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}(?![a-z0-9])");
  private static final Pattern IPV4 = Pattern.compile(
      "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
          + "(?!\\d|\\.\\d)");
  private static final Pattern IPV6 = Pattern.compile(
      "(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f]{0,4})(?![0-9A-Za-z_:])");
  private static final Pattern HEX64 = Pattern.compile("(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])");
  private static final Pattern HASH_CUE = Pattern.compile(
      "(?i)\\b(?:tx|txid|txn|hash|transaction|block|sha-?256|keccak|digest|commit|checksum|merkle|root)\\b");
  private static final Pattern KEY_CUE = Pattern.compile("(?i)\\b(?:priv(?:ate)?|secret|key|pk|wallet)\\b");
  /** A token between seed words that does not break the phrase: list numbering ("1.", "2)", "#3") or punctuation. */
  private static final Pattern SEED_FILLER = Pattern.compile("#?\\d{1,2}[.):]?|[,;:|/\\-]+");

  private static final int CUE_WINDOW = 40;

  private final String defaultRegion;

  public PiiDetector(String defaultRegion) {
    this.defaultRegion = Objects.requireNonNull(defaultRegion, "defaultRegion").toUpperCase(Locale.ROOT);
  }

  public String defaultRegion() {
    return defaultRegion;
  }

  /** What was found: non-overlapping matches in text order, plus partial-secret findings that make redaction unsafe. */
  public record Detection(List<PiiMatch> matches, List<int[]> partialSeedPhrases) {
    public Detection {
      matches = List.copyOf(matches);
      partialSeedPhrases = List.copyOf(partialSeedPhrases);
    }
  }

  public Detection detect(String text) {
    List<PiiMatch> all = new ArrayList<>();
    List<int[]> partial = new ArrayList<>();
    // One cheap pass decides which detectors can match at all: most records have no '@', few digits and no long hex
    // run, and skipping a regex scan is far cheaper than running one that fails at every position.
    int digits = 0;
    int hexRun = 0;
    int maxHexRun = 0;
    boolean at = false;
    boolean colon = false;
    boolean bracket = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      }
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        maxHexRun = Math.max(maxHexRun, ++hexRun);
      } else {
        hexRun = 0;
      }
      at |= c == '@';
      colon |= c == ':';
      bracket |= c == '[' || c == '(' || c == '{';
    }
    if (maxHexRun >= 64) {
      evmKeys(text, all);
    }
    seedPhrases(text, all, partial);
    if (at) {
      regex(text, EMAIL, PiiType.EMAIL, 1.0, all);
    }
    if (bracket) {
      regex(text, OBFUSCATED_EMAIL, PiiType.EMAIL, 0.8, all);
    }
    if (digits >= 4) {
      ibans(text, all);
    }
    if (digits >= 13) {
      cards(text, all);
    }
    if (colon) {
      ipv6(text, all);
    }
    if (digits >= 4) {
      regex(text, IPV4, PiiType.IPV4, 1.0, all);
    }
    if (digits >= 7) {
      phones(text, all);
    }
    // keep, in priority order (insertion order above), every match that does not overlap a kept one
    List<PiiMatch> kept = new ArrayList<>();
    for (PiiMatch m : all) {
      boolean clash = false;
      for (PiiMatch k : kept) {
        if (k.overlaps(m)) {
          clash = true;
          break;
        }
      }
      if (!clash) {
        kept.add(m);
      }
    }
    kept.sort(Comparator.comparingInt(PiiMatch::start));
    return new Detection(kept, partial);
  }

  private static void regex(String text, Pattern p, PiiType type, double score, List<PiiMatch> out) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(new PiiMatch(type, m.start(), m.end(), score));
    }
  }

  private static void evmKeys(String text, List<PiiMatch> out) {
    Matcher m = HEX64.matcher(text);
    while (m.find()) {
      String before = text.substring(Math.max(0, m.start() - CUE_WINDOW), m.start());
      boolean keyCue = KEY_CUE.matcher(before).find();
      boolean hashCue = HASH_CUE.matcher(before).find();
      // A 256-bit hex string is a key or a hash; the format cannot tell. Words just before it can: skip it only when
      // the context names a hash and does not name a key (docs/labeling.md, limitations).
      if (hashCue && !keyCue) {
        continue;
      }
      out.add(new PiiMatch(PiiType.EVM_PRIVATE_KEY, m.start(), m.end(), keyCue ? 1.0 : 0.7));
    }
  }

  private static void seedPhrases(String text, List<PiiMatch> out, List<int[]> partial) {
    Bip39Wordlist list = Bip39Wordlist.english();
    List<int[]> run = new ArrayList<>();
    List<String> runWords = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (true) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (start >= n) {
        closeRun(list, run, runWords, out, partial);
        return;
      }
      String token = text.substring(start, i); // short-lived; escape analysis usually removes it
      // strip punctuation attached to a word ("abandon," / "(zoo)")
      int ts = 0;
      int te = token.length();
      while (ts < te && !Character.isLetterOrDigit(token.charAt(ts))) {
        ts++;
      }
      while (te > ts && !Character.isLetterOrDigit(token.charAt(te - 1))) {
        te--;
      }
      // BIP-39 English words are 3..8 ASCII letters: test that before allocating a lower-cased copy
      String core = te - ts >= 3 && te - ts <= 8 && asciiLetters(token, ts, te)
          ? token.substring(ts, te).toLowerCase(Locale.ROOT) : "";
      if (!core.isEmpty() && list.indexOf(core) >= 0) {
        run.add(new int[] {start + ts, start + te});
        runWords.add(core);
      } else if (!run.isEmpty() && SEED_FILLER.matcher(token).matches()) {
        continue;
      } else {
        closeRun(list, run, runWords, out, partial);
      }
    }
  }

  private static boolean asciiLetters(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  private static void closeRun(
      Bip39Wordlist list, List<int[]> run, List<String> words, List<PiiMatch> out, List<int[]> partial) {
    int len = run.size();
    if (len >= 12) {
      boolean valid = false;
      for (int size = 24; size >= 12 && !valid; size -= 3) {
        for (int from = 0; from + size <= len && !valid; from++) {
          valid = list.isValidMnemonic(words.subList(from, from + size));
        }
      }
      // the whole run is redacted: which words of an unverified run are the secret cannot be known
      out.add(new PiiMatch(PiiType.SEED_PHRASE, run.get(0)[0], run.get(len - 1)[1], valid ? 1.0 : 0.6));
    } else if (len >= 9) {
      partial.add(new int[] {run.get(0)[0], run.get(len - 1)[1]});
    }
    run.clear();
    words.clear();
  }

  private static void ibans(String text, List<PiiMatch> out) {
    IBANValidator validator = IBANValidator.getInstance();
    Matcher m = IBAN.matcher(text);
    while (m.find()) {
      // the pattern may run into a following upper-case word: try the longest prefix that validates
      String span = m.group();
      for (int end = span.length(); end >= 15; end--) {
        if (span.charAt(end - 1) == ' ') {
          continue;
        }
        String compact = span.substring(0, end).replace(" ", "");
        if (compact.length() >= 15 && compact.length() <= 34 && validator.isValid(compact)) {
          out.add(new PiiMatch(PiiType.IBAN, m.start(), m.start() + end, 1.0));
          break;
        }
      }
    }
  }

  private static void cards(String text, List<PiiMatch> out) {
    Matcher m = CARD.matcher(text);
    while (m.find()) {
      String digits = m.group().replaceAll("[ -]", "");
      if (digits.length() >= 13 && digits.length() <= 19 && luhnValid(digits) && knownIssuer(digits)) {
        out.add(new PiiMatch(PiiType.CREDIT_CARD, m.start(), m.end(), 1.0));
      }
    }
  }

  /** Luhn (mod 10) check over a string of ASCII digits. */
  public static boolean luhnValid(String digits) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return sum % 10 == 0;
  }

  /** Issuer identification prefixes of the major networks; cuts Luhn's 1-in-10 chance hits on random digit runs. */
  static boolean knownIssuer(String d) {
    int len = d.length();
    int p2 = Integer.parseInt(d.substring(0, 2));
    int p3 = Integer.parseInt(d.substring(0, 3));
    int p4 = Integer.parseInt(d.substring(0, 4));
    int p6 = Integer.parseInt(d.substring(0, 6));
    if (d.charAt(0) == '4') {
      return len == 13 || len == 16 || len == 19; // Visa
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
      return len == 16; // Mastercard
    }
    if (p2 == 34 || p2 == 37) {
      return len == 15; // American Express
    }
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
      return len >= 16 && len <= 19; // Discover
    }
    if (p4 >= 3528 && p4 <= 3589) {
      return len >= 16 && len <= 19; // JCB
    }
    if (p2 == 36 || p2 == 38 || (p3 >= 300 && p3 <= 305)) {
      return len >= 14 && len <= 19; // Diners Club
    }
    if (p2 == 62) {
      return len >= 16 && len <= 19; // UnionPay
    }
    return false;
  }

  private static void ipv6(String text, List<PiiMatch> out) {
    InetAddressValidator validator = InetAddressValidator.getInstance();
    Matcher m = IPV6.matcher(text);
    while (m.find()) {
      String candidate = m.group();
      int hexDigits = 0;
      for (int k = 0; k < candidate.length(); k++) {
        if (Character.digit(candidate.charAt(k), 16) >= 0) {
          hexDigits++;
        }
      }
      // "::" or "a::" alone is valid grammar but in prose it is C++ scope syntax or emoticons
      if (hexDigits >= 3 && validator.isValidInet6Address(candidate)) {
        out.add(new PiiMatch(PiiType.IPV6, m.start(), m.end(), 1.0));
      }
    }
  }

  private void phones(String text, List<PiiMatch> out) {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    for (PhoneNumberMatch match : util.findNumbers(text, defaultRegion, PhoneNumberUtil.Leniency.VALID,
        Long.MAX_VALUE)) {
      out.add(new PiiMatch(PiiType.PHONE, match.start(), match.end(), 1.0));
    }
  }
}
