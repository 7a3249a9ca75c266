import type { ImagePolicySettings } from '../model/image-policy';
import type { RuleId } from '../model/rule-ids';

/** how much a finding matters; `--fail-on` compares against it. */
export type Severity = 'error' | 'warning' | 'info';

/** the Pod Security Standards level a PSS rule belongs to. */
export type PssLevel = 'baseline' | 'restricted';

/** Pod Security Admission check ids (k8s.io/pod-security-admission/policy, v1.28). */
export type PssCheckId =
  | 'allowPrivilegeEscalation' | 'appArmorProfile' | 'capabilities_baseline' | 'capabilities_restricted'
  | 'hostNamespaces' | 'hostPathVolumes' | 'hostPorts' | 'privileged' | 'procMount' | 'restrictedVolumes'
  | 'runAsNonRoot' | 'runAsUser' | 'seccompProfile_baseline' | 'seccompProfile_restricted' | 'seLinuxOptions'
  | 'sysctls' | 'windowsHostProcess';

/** a plain Kubernetes object as parsed from YAML or produced by `ApiObject.toJson()`. */
export type KubeObject = Record<string, unknown>;

/** where an object came from, for reports. */
export interface SourceRef {
  /** file path as given by the user (relative paths stay relative). */
  readonly file?: string;
  /** index of the YAML document within the file, from 0. */
  readonly documentIndex?: number;
  /** how many YAML documents the file holds (empty ones included), for locating a document's text. */
  readonly documentCount?: number;
  /** 1-based line of the document start; refined to the finding's field when available. */
  readonly line?: number;
  /** construct path, when the object came from a cdk8s construct tree. */
  readonly constructPath?: string;
  /** where the object sits inside its document when it came from a `List`: `items[2]`. */
  readonly itemPath?: string;
}

/** one object under check with its origin. */
export interface ManifestEntry {
  readonly object: KubeObject;
  readonly source: SourceRef;
}

/** references a rule carries into the docs and reports. */
export interface RuleReferences {
  /** the Pod Security Standards control. */
  readonly pss?: { readonly level: PssLevel; readonly check: PssCheckId };
  /** CIS Kubernetes Benchmark 1.8 ids, e.g. `5.2.2`. */
  readonly cis?: readonly string[];
  /** NSA/CISA Kubernetes Hardening Guide controls (Kubescape ids, e.g. `C-0057`). */
  readonly nsa?: readonly string[];
  /** CVE ids the rule catches the precondition of, e.g. `CVE-2020-8554`. */
  readonly cves?: readonly string[];
  /** documentation links. */
  readonly links?: readonly string[];
}

/** what a rule reports about one object: a message and the field it is about. */
export interface Violation {
  /** short, names the container or field: `container "app" is privileged`. */
  readonly message: string;
  /** dotted path of the offending field: `spec.template.spec.containers[0].securityContext.privileged`. */
  readonly path: string;
}

/**
 * Read-only lookups over the whole manifest set, indexed once, for cross-object rules.
 * Every lookup is by namespace (or name), so no rule is quadratic in the number of objects.
 */
export interface CheckContext {
  /**
   * The app's image policy, when one is configured (CLI `--allowed-registry`/`--config`, the
   * constructs' `ImagePolicy`, the plugin's properties); rules that need it do nothing without it.
   */
  readonly imagePolicy?: ImagePolicySettings;
  /** all objects of a kind in a namespace (`undefined` namespace = cluster-scoped). */
  objectsOf(kind: string, namespace: string | undefined): readonly KubeObject[];
  /** one object by kind, namespace and name. */
  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** the namespaces that appear anywhere in the input, declared or referenced. */
  namespaces(): readonly string[];
}

/**
 * One check. Logic (`check`), metadata and fixtures are kept apart so a rule can later carry an
 * admission-time twin (a CEL expression) tested against the same fixtures.
 */
export interface Rule {
  /** permanent kebab-case id, equal to the rule's file name. */
  readonly id: RuleId;
  /** a few words: "Privileged container". */
  readonly title: string;
  /** one sentence: "Indicates when ...". */
  readonly description: string;
  /** default severity; packs may override it in one place. */
  readonly severity: Severity;
  /** imperative, ends with a period. */
  readonly remediation: string;
  readonly references: RuleReferences;
  /** kinds this rule looks at; `POD_SPEC_KINDS` for every pod-template kind. */
  readonly kinds: readonly string[];
  /** pure: never throws on user data, never mutates `object`. */
  check(object: KubeObject, context: CheckContext): Violation[];
}

/** one row of a report. */
export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly constructPath?: string;
  readonly path: string;
  readonly message: string;
  readonly remediation: string;
  readonly pss?: { readonly level: PssLevel; readonly check: PssCheckId };
  readonly suppressed: boolean;
  readonly reason?: string;
}
