package io.ledgerlake.labeling.curation;

/** Why a record is left out of the curated view that training and RAG read. The record itself is never deleted. */
public enum ExclusionReason {
  /** The harmful-content labeler flagged at least one category. */
  HARMFUL,
  /** Same normalized text as an earlier record (the canonical one stays in). */
  EXACT_DUPLICATE,
  /** Near duplicate (MinHash LSH) of an earlier canonical record. */
  NEAR_DUPLICATE,
  /** PII was found that redaction cannot be trusted to remove. */
  UNREDACTABLE_PII,
  /** Failed at least one quality rule. Off by default: see docs/decisions/labeling-curation-policy.md. */
  LOW_QUALITY
}
