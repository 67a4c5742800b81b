package io.ledgerlake.labeling.pii;

/** Kinds of personal or secret data the PII labeler finds; each has the typed placeholder that replaces it. */
public enum PiiType {
  EMAIL("[EMAIL]"),
  PHONE("[PHONE]"),
  CREDIT_CARD("[CREDIT_CARD]"),
  IBAN("[IBAN]"),
  IPV4("[IPV4]"),
  IPV6("[IPV6]"),
  EVM_PRIVATE_KEY("[EVM_PRIVATE_KEY]"),
  SEED_PHRASE("[SEED_PHRASE]");

  private final String placeholder;

  PiiType(String placeholder) {
    this.placeholder = placeholder;
  }

  public String placeholder() {
    return placeholder;
  }
}
