package io.ledgerlake.labeling.pii;

/** Why a redacted copy still cannot be trusted, which excludes the record from the curated view. */
public enum UnredactableReason {
  /**
   * At least three matches together make up more than the configured fraction of the non-whitespace
   * characters: what is left is a contact list or a
   * credential dump, and any PII the detectors missed is likely in the same shape.
   */
  PII_DENSITY,
  /**
   * A run of 9 to 11 BIP-39 words: most of a seed phrase whose remaining words may sit elsewhere in a form the detector
   * does not recognise, so redacting the run cannot be shown to remove the secret.
   */
  PARTIAL_SEED_PHRASE
}
