export { compareTrees, failingNewFindings } from './security-diff';
export type { DiffOptions, DiffSide, DiffSummary, SecurityDiff, SecurityDiffResult } from './security-diff';
export { renderDiffJson, renderDiffMarkdown } from './render';
export type { RenderMode } from './render';
export type { ExceptionChange, ExceptionEntry, ExceptionsDiff } from './exceptions';
export type { ExposureChange, ExposureDiff, ExposureEntry } from './exposure';
export type { DiffFinding, FindingsDiff } from './findings';
export type { Permission, PermissionsDiff } from './permissions';
export type { ObjectRef } from './object-ref';
