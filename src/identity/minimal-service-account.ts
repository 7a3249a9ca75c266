import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { validateGrantSpelling } from './rbac-grant-validation';
import { validateExpiry, WorkloadIdentity } from './workload-identity';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { namespaceOf, validateDnsLabel } from '../construct-helpers/names';
import { exceptionAnnotations, SecurityException } from '../model/exceptions';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { DANGEROUS_GRANTS, DangerousGrant } from '../model/rbac-catalogue';
import { RuleIds } from '../model/rule-ids';
import { keepClusterScoped } from '../network/policy-helpers';

/**
 * One least-privilege permission: explicit verbs on explicitly named objects of one resource.
 */
export interface RbacGrant {
  /**
   * The API group: `''` for the core group (configmaps, secrets, pods), else e.g. `apps`.
   *
   * @default '' (core)
   */
  readonly apiGroup?: string;
  /** the plural resource (`configmaps`) or subresource (`pods/log`). */
  readonly resource: string;
  /** the verbs, e.g. `['get']`. */
  readonly verbs: string[];
  /**
   * The objects the grant is limited to. Required unless every verb is `create`, which
   * Kubernetes cannot limit by name.
   *
   * @default - none; only allowed for create-only grants
   */
  readonly resourceNames?: string[];
}

/**
 * Exceptions to the least-privilege rules, each with a reason that is written to the YAML.
 */
export interface MinimalServiceAccountExceptions {
  /**
   * Allow `*` in verbs, resources or apiGroups.
   *
   * @default - wildcards throw
   */
  readonly wildcard?: SecurityException;
  /**
   * Allow the `escalate`, `bind` or `impersonate` verbs.
   *
   * @default - these verbs throw
   */
  readonly escalationVerbs?: SecurityException;
  /**
   * Allow reading secrets (get, list or watch on `secrets`).
   *
   * @default - secret reads throw
   */
  readonly readSecrets?: SecurityException;
  /**
   * Allow creating pods or workload controllers, which runs code under any ServiceAccount in the namespace.
   *
   * @default - pod creation throws
   */
  readonly createPods?: SecurityException;
  /**
   * Allow `pods/exec` or `pods/attach`.
   *
   * @default - exec and attach throw
   */
  readonly podsExec?: SecurityException;
  /**
   * Bind the ClusterRole `cluster-admin` to this ServiceAccount in a ClusterRoleBinding.
   *
   * @default - no cluster-admin binding
   */
  readonly clusterAdmin?: SecurityException;
  /**
   * Allow `create` on `serviceaccounts/token`, which mints tokens for every ServiceAccount in the namespace.
   *
   * @default - token minting throws
   */
  readonly tokenRequest?: SecurityException;
  /**
   * Allow `update` or `patch` on `pods/ephemeralcontainers`, which starts a container inside a running pod.
   *
   * @default - ephemeral containers throw
   */
  readonly ephemeralContainers?: SecurityException;
  /**
   * Allow `create` or `get` on `pods/portforward`, which tunnels to pod ports around NetworkPolicy.
   *
   * @default - port-forward throws
   */
  readonly portForward?: SecurityException;
  /**
   * Allow `update` or `patch` on pods or workload controllers, which changes what another workload runs and as whom.
   *
   * @default - rewriting workloads throws
   */
  readonly workloadRewrite?: SecurityException;
  /**
   * Allow `update` or `patch` on `services/status`, which redirects cluster traffic for any IP (CVE-2020-8554).
   *
   * @default - writing Service status throws
   */
  readonly serviceStatus?: SecurityException;
}

/**
 * A short-lived, audience-bound token projected into the pods that use the ServiceAccount,
 * for the workloads that must call an API. The regular token stays unmounted.
 */
export interface ProjectedTokenOptions {
  /** the audience the token is issued for (the API that checks it). */
  readonly audience: string;
  /**
   * Token lifetime, 600 to 3600 seconds; the kubelet rotates it before it expires.
   *
   * @default 600
   */
  readonly expirationSeconds?: number;
  /**
   * Directory the token is mounted in (read-only); the file is `token`.
   *
   * @default '/var/run/secrets/tokens'
   */
  readonly mountPath?: string;
}

/**
 * Props for `MinimalServiceAccount`.
 */
export interface MinimalServiceAccountProps {
  /**
   * The ServiceAccount's name. Never `default`: every workload gets its own account.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Permissions, granted through one namespaced Role and RoleBinding.
   *
   * @default - no permissions, no Role
   */
  readonly grants?: RbacGrant[];
  /**
   * A short-lived projected token for pods that must call an API.
   *
   * @default - no token at all
   */
  readonly projectedToken?: ProjectedTokenOptions;
  /**
   * A cloud workload identity (EKS, GKE or Azure) written as ServiceAccount annotations.
   *
   * @default - none
   */
  readonly workloadIdentity?: WorkloadIdentity;
  /**
   * Reasoned exceptions to the least-privilege rules.
   *
   * @default - none
   */
  readonly exceptions?: MinimalServiceAccountExceptions;
}

const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];
const READ_VERBS = ['get', 'list', 'watch'];
const POD_CREATING_RESOURCES = ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers'];
/** the namespaced escalation paths a Role can grant, with their exception and rule. */
const NAMESPACED_DANGERS: readonly (readonly [keyof MinimalServiceAccountExceptions, string, readonly DangerousGrant[], string])[] = [
  ['tokenRequest', RuleIds.RBAC_TOKEN_REQUEST, DANGEROUS_GRANTS.tokenRequest, 'mints tokens for every ServiceAccount of the namespace'],
  ['ephemeralContainers', RuleIds.RBAC_EPHEMERAL_CONTAINERS, DANGEROUS_GRANTS.ephemeralContainers, 'starts containers inside running pods'],
  ['portForward', RuleIds.RBAC_PORT_FORWARD, DANGEROUS_GRANTS.portForward, 'tunnels to pod ports around NetworkPolicy'],
  ['workloadRewrite', RuleIds.RBAC_WORKLOAD_REWRITE, DANGEROUS_GRANTS.workloadRewrite, 'changes what other workloads run and as whom'],
  ['serviceStatus', RuleIds.RBAC_SERVICE_STATUS, DANGEROUS_GRANTS.serviceStatus, 'redirects cluster traffic for any IP (CVE-2020-8554)'],
];

/** true when a grant gives one of the dangerous grants (exact spelling or `*` verbs). */
function matchesDanger(grant: RbacGrant, dangers: readonly DangerousGrant[]): boolean {
  const apiGroup = grant.apiGroup ?? '';
  return dangers.some((danger) => danger.apiGroup === apiGroup && danger.resources.includes(grant.resource)
    && grant.verbs.some((verb) => verb === '*' || danger.verbs.includes(verb)));
}

const DEFAULT_TOKEN_EXPIRATION_SECONDS = 600;
const DEFAULT_TOKEN_MOUNT_PATH = '/var/run/secrets/tokens';

/**
 * A ServiceAccount for exactly one workload: no token automount, least-privilege RBAC through
 * a namespaced Role with explicit verbs, resources and resourceNames, an optional short-lived
 * projected token, and optional cloud workload identity.
 *
 * Wildcards, `escalate`/`bind`/`impersonate`, secret reads, pod creation, exec, token minting,
 * ephemeral containers, port-forward, rewriting workloads, writing Service status and cluster-admin
 * throw unless given an exception with a reason, which is recorded as an annotation. A grant that
 * grants nothing (a misspelt or wrongly cased verb or resource, a resource in the wrong group, a
 * cluster-scoped resource in this namespaced Role) throws too.
 */
export class MinimalServiceAccount extends Construct implements kplus.IServiceAccount {
  /** the underlying cdk8s-plus ServiceAccount. */
  public readonly resource: kplus.ServiceAccount;
  /** the ServiceAccount's name. */
  public readonly name: string;
  /** the namespace, when known. */
  public readonly namespaceName?: string;
  /** the Role holding the grants, when there are any. */
  public readonly role?: kplus.Role;
  /** the RoleBinding of the Role to this account, when there are grants. */
  public readonly roleBinding?: kplus.RoleBinding;
  /** the projected token settings, with defaults applied, when requested. */
  public readonly projectedToken?: Required<ProjectedTokenOptions>;
  /** labels pods using this account need (Azure workload identity). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** the cloud workload identity written on the account, when one was given. */
  public readonly workloadIdentity?: WorkloadIdentity;
  public readonly apiGroup = '';
  public readonly resourceType = 'serviceaccounts';
  public readonly resourceName?: string;

  constructor(scope: Construct, id: string, props: MinimalServiceAccountProps = {}) {
    super(scope, id);
    recordObjectPaths(this);
    this.name = validateDnsLabel('name', props.name ?? id);
    if (this.name === 'default') {
      throw new Error('name is "default": the namespace\'s default ServiceAccount is shared by every pod; give this workload its own account name');
    }
    this.namespaceName = namespaceOf(this, props.namespace);
    this.resourceName = this.name;
    const exceptions = props.exceptions ?? {};
    const grants = props.grants ?? [];
    const roleAnnotations = validateGrants(grants, exceptions);

    if (props.projectedToken) {
      const expirationSeconds = props.projectedToken.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
      validateExpiry('projectedToken.expirationSeconds', expirationSeconds);
      if (!props.projectedToken.audience || /\s/.test(props.projectedToken.audience)) {
        throw new Error(`projectedToken.audience is ${JSON.stringify(props.projectedToken.audience)}: name the API that validates the token, e.g. "vault" or "https://api.example.com"`);
      }
      const mountPath = props.projectedToken.mountPath ?? DEFAULT_TOKEN_MOUNT_PATH;
      if (!mountPath.startsWith('/')) {
        throw new Error(`projectedToken.mountPath is ${JSON.stringify(mountPath)}: use an absolute path`);
      }
      this.projectedToken = { audience: props.projectedToken.audience, expirationSeconds, mountPath };
    }
    this.podLabels = props.workloadIdentity?.podLabels ?? {};
    this.workloadIdentity = props.workloadIdentity;

    const labels = { [Labels.MANAGED_BY]: MANAGED_BY_VALUE };
    this.resource = new kplus.ServiceAccount(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespaceName,
        labels,
        annotations: { ...props.workloadIdentity?.serviceAccountAnnotations },
      },
      automountToken: false,
    });

    if (grants.length > 0) {
      this.role = new kplus.Role(this, 'Role', {
        metadata: { name: this.name, namespace: this.namespaceName, labels, annotations: roleAnnotations },
      });
      for (const grant of grants) {
        this.role.allow(grant.verbs, ...apiResourcesOf(grant));
      }
      this.roleBinding = new kplus.RoleBinding(this, 'RoleBinding', {
        metadata: { name: this.name, namespace: this.namespaceName, labels },
        role: this.role,
      });
      this.roleBinding.addSubjects(this.resource);
    }

    if (exceptions.clusterAdmin) {
      const annotations = exceptionAnnotations('exceptions.clusterAdmin', exceptions.clusterAdmin, [RuleIds.RBAC_CLUSTER_ADMIN_BINDING]);
      const binding = new kplus.ClusterRoleBinding(this, 'ClusterAdminBinding', {
        metadata: { name: `${this.namespaceName ?? 'default'}-${this.name}-cluster-admin`, labels, annotations },
        role: kplus.ClusterRole.fromClusterRoleName(this, 'ClusterAdmin', 'cluster-admin'),
      });
      binding.addSubjects(this.resource);
      keepClusterScoped(binding);
    }
  }

  /** the RBAC subject of this ServiceAccount (cdk8s-plus `ISubject`), for `Role.bind` and bindings. */
  public toSubjectConfiguration(): kplus.SubjectConfiguration {
    return this.resource.toSubjectConfiguration();
  }

  /** the kind, `ServiceAccount`. */
  public get kind(): string {
    return this.resource.kind;
  }

  /** the API version, `v1`. */
  public get apiVersion(): string {
    return this.resource.apiVersion;
  }

  /** the ServiceAccount's metadata. */
  public get metadata() {
    return this.resource.metadata;
  }
}

function apiResourcesOf(grant: RbacGrant): kplus.IApiResource[] {
  const apiGroup = grant.apiGroup ?? '';
  const names = grant.resourceNames ?? [];
  if (names.length === 0) return [{ apiGroup, resourceType: grant.resource }];
  return names.map((resourceName) => ({ apiGroup, resourceType: grant.resource, resourceName }));
}

/** throws on anything least privilege forbids without an exception; returns the Role's exception annotations. */
function validateGrants(grants: RbacGrant[], exceptions: MinimalServiceAccountExceptions): Record<string, string> {
  const annotations: Record<string, string> = {};
  const need = (key: keyof MinimalServiceAccountExceptions, ruleId: string, problem: string) => {
    const exception = exceptions[key];
    if (!exception) {
      throw new Error(`${problem}: least privilege forbids it; narrow the grant, or add exceptions.${key} with a reason`);
    }
    Object.assign(annotations, exceptionAnnotations(`exceptions.${key}`, exception, [ruleId]));
  };
  grants.forEach((grant, index) => {
    const at = `grants[${index}]`;
    if (!grant.resource) throw new Error(`${at}.resource is empty: name the plural resource, e.g. "configmaps"`);
    if (!Array.isArray(grant.verbs) || grant.verbs.length === 0) {
      throw new Error(`${at}.verbs is ${JSON.stringify(grant.verbs)}: list the verbs explicitly, e.g. ["get"]`);
    }
    if ((grant.resourceNames ?? []).some((name) => name.includes('*'))) {
      throw new Error(`${at}.resourceNames is ${JSON.stringify(grant.resourceNames)}: RBAC matches resource names literally, so "*" names no object; list the objects, or leave resourceNames out of a create-only grant`);
    }
    const values = [grant.apiGroup ?? '', grant.resource, ...grant.verbs];
    if (values.some((value) => value.includes('*'))) {
      need('wildcard', RuleIds.RBAC_WILDCARD, `${at} contains a wildcard (${JSON.stringify(grant)})`);
    }
    const escalation = grant.verbs.filter((verb) => ESCALATION_VERBS.includes(verb));
    if (escalation.length > 0) {
      need('escalationVerbs', RuleIds.RBAC_ESCALATION_VERBS, `${at}.verbs contains ${escalation.join(', ')}`);
    }
    validateGrantSpelling(at, { apiGroup: grant.apiGroup ?? '', resource: grant.resource, verbs: grant.verbs });
    for (const [key, ruleId, dangers, consequence] of NAMESPACED_DANGERS) {
      if (matchesDanger(grant, dangers)) need(key, ruleId, `${at} grants ${grant.verbs.join(', ')} on ${grant.resource}, which ${consequence}`);
    }
    const [resource, subresource] = grant.resource.split('/');
    if (resource === 'secrets' && grant.verbs.some((verb) => READ_VERBS.includes(verb) || verb === '*')) {
      need('readSecrets', RuleIds.RBAC_READ_SECRETS, `${at} reads secrets`);
    }
    if (subresource === undefined && POD_CREATING_RESOURCES.includes(resource) && grant.verbs.some((verb) => verb === 'create' || verb === '*')) {
      need('createPods', RuleIds.RBAC_CREATE_PODS, `${at} creates ${resource}, which runs code under any ServiceAccount in the namespace`);
    }
    if (resource === 'pods' && (subresource === 'exec' || subresource === 'attach')) {
      need('podsExec', RuleIds.RBAC_PODS_EXEC, `${at} grants pods/${subresource}`);
    }
    const createOnly = grant.verbs.every((verb) => verb === 'create');
    if (!createOnly && (grant.resourceNames ?? []).length === 0) {
      throw new Error(`${at}.resourceNames is empty: name the objects the grant covers (e.g. ["app-config"]); only create-only grants may omit them`);
    }
  });
  return annotations;
}
