import type { ImagePolicySettings } from '../model/image-policy';
import type { RuleId } from '../model/rule-ids';

/**
 * What a twin's policy matches, and how its expressions reach the object:
 * - `pod-spec`: Pods (with `pods/ephemeralcontainers`) and every pod-template kind; the shared
 *   variables `podSpec`, `podMetadata`, `containers` (containers + init + ephemeral),
 *   `regularContainers`, `resourceContainers` (containers + init) and `isWindows` are defined;
 * - `role`: Roles and ClusterRoles; `binding`: RoleBindings and ClusterRoleBindings;
 * - `service`: Services; `namespace`: Namespaces; `network-policy`: NetworkPolicies;
 * - `ingress`: Ingresses; `storage`: PersistentVolumes and StorageClasses;
 * - `secret-store`: External Secrets `SecretStore`s and `ClusterSecretStore`s (`external-secrets.io/v1`).
 */
export type TwinTarget = 'pod-spec' | 'role' | 'binding' | 'service' | 'namespace' | 'network-policy' | 'ingress' | 'storage' | 'secret-store';

/** one CEL validation of a twin. */
export interface TwinValidation {
  /** CEL that is true when the object complies; may read `object` and `variables.*`. */
  readonly expression: string;
  /**
   * CEL list of strings naming what fails (containers, volumes, rules), for the message.
   * @default - the message names no offenders
   */
  readonly offenders?: string;
}

/** an admission-time twin of a rule: the same decision, written in CEL that a 1.28 API server compiles. */
export interface CelTwin {
  readonly twin: 'cel';
  readonly target: TwinTarget;
  /** all must hold for the object to be admitted. */
  readonly validations: readonly TwinValidation[];
  /**
   * Set when the twin decides only part of the rule; says which part stays pre-merge only.
   * A partial twin never denies what the checker allows (tested), but may allow what it reports.
   * @default - the twin decides exactly what the rule decides
   */
  readonly partial?: string;
  /**
   * The oldest Kubernetes minor whose API server compiles the twin's CEL in a new expression. The
   * generator leaves the twin out (and says so) for older targets, never emitting a weaker variant.
   * @default 28 (core CEL and ext.Strings v0 only)
   */
  readonly minKubernetesMinor?: number;
}

/** a rule that has no admission twin, and why. */
export interface NoTwin {
  readonly twin: 'none';
  /** why no single-object CEL can decide the rule (e.g. it needs other objects). */
  readonly reason: string;
}

/** the settings a twin may be generated from: the same the checker's rules read from their context. */
export interface TwinSettings {
  /** @default - no image policy */
  readonly imagePolicy?: ImagePolicySettings;
}

/**
 * A twin of a rule that judges against configured settings (allowed registries): its CEL is
 * generated from the settings the checker is given, so both sides read one object. Without the
 * settings the rule reports nothing, and no policy is emitted.
 */
export interface SettingsTwin {
  readonly twin: 'settings';
  readonly target: TwinTarget;
  /** what the twin is generated from, for docs and skipped-rule reasons. */
  readonly needs: string;
  /** the CEL twin for these settings, or undefined when they leave the rule off. */
  fromSettings(settings: TwinSettings): CelTwin | undefined;
}

/** every rule declares one of these. */
export type AdmissionTwin = CelTwin | NoTwin | SettingsTwin;

/** the twin to emit for `settings`: a settings twin becomes its CEL, or "none" when the settings leave the rule off. */
export function resolveTwin(twin: AdmissionTwin, settings: TwinSettings = {}): CelTwin | NoTwin {
  if (twin.twin !== 'settings') return twin;
  return twin.fromSettings(settings) ?? { twin: 'none', reason: `no settings turn the rule on: it needs ${twin.needs}` };
}

/** the twin declarations of a group of rules, keyed by rule id. */
export type TwinDeclarations = Partial<Record<RuleId, AdmissionTwin>>;
