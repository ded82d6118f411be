/**
 * Governance: the hash-chained audit trail and the fairness metrics the console reports.
 */
export {
  createAuditTrail,
  hashRecord,
  AUDIT_KINDS,
  GENESIS_HASH,
  type AuditTrail,
  type AuditAppend,
  type AuditRecord,
  type AuditSubject,
  type AuditProblem,
  type AuditProblemKind,
  type AuditVerifyResult,
  type AuditSearch,
} from "./audit-trail.ts";
export {
  anchorKeyFrom,
  writeAuditAnchor,
  readAuditAnchors,
  verifyWithAnchors,
  startAuditAnchoring,
  describeAge,
  AnchorFolderError,
  type AnchorKey,
  type AuditAnchor,
  type SignedAuditAnchor,
  type AnchorFileProblem,
  type AnchoredVerifyResult,
  type AuditAnchoring,
} from "./audit-anchor.ts";
export { canonicalJson, toJsonValue } from "./canonical-json.ts";
export { adverseImpactVerdict, type AdverseImpactVerdict } from "./adverse-impact.ts";
export {
  selectionRates,
  scoringRates,
  fairnessAudit,
  fisherExactTwoSided,
  twoProportionZ,
  median,
  EEO_SEX,
  EEO_RACE,
  type FairnessRecord,
  type FairnessReport,
  type FairnessDimension,
  type FairnessMetric,
  type FairnessOptions,
  type GroupResult,
  type SignificanceTest,
} from "./fairness.ts";
