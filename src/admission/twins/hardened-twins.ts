/**
 * The admission twins of the `hardened` pack's rules beyond PSS: one CEL twin per rule that one
 * object decides, and an explicit "no twin" with the reason for each rule that needs other objects.
 */
import { PROBES, RUN_TO_COMPLETION_KINDS, RUN_TO_COMPLETION_RESTART_POLICIES } from '../../checker/rules/hygiene/container-probes';
import { REQUESTED_RESOURCES } from '../../checker/rules/hygiene/container-requests';
import { PSA_LABEL_LEVEL, PSA_LABEL_MODES } from '../../checker/rules/namespace/namespace-psa-labels';
import { BUILT_IN_GROUP_BINDINGS } from '../../checker/rules/rbac/built-in-roles';
import { POD_CREATING_RESOURCES } from '../../checker/rules/rbac/rbac-create-pods';
import { ESCALATION_TARGETS, ESCALATION_VERBS } from '../../checker/rules/rbac/rbac-escalation-verbs';
import { EXEC_SUBRESOURCES, EXEC_VERBS } from '../../checker/rules/rbac/rbac-pods-exec';
import { SECRET_READ_VERBS } from '../../checker/rules/rbac/rbac-read-secrets';
import { WILDCARD_FIELDS } from '../../checker/rules/rbac/rbac-wildcard';
import { HOST_PATH_PROVISIONERS, SYSTEM_ROOTS, SYSTEM_TREES } from '../../checker/rules/storage/pv-host-path';
import { BROAD_SYSTEM_GROUPS, DANGEROUS_GRANTS, DangerousGrant } from '../../model/rbac-catalogue';
import { RuleIds } from '../../model/rule-ids';
import { celString, celStrings, failingContainers, isSet, setAnd, unsetOr } from '../cel';
import type { CelTwin, TwinDeclarations } from '../twin';

const SPEC = 'variables.podSpec';

function podSpecTwin(list: string, ok: string, options: { skip?: string; partial?: string } = {}): CelTwin {
  const skip = options.skip ? `${options.skip} || ` : '';
  return {
    twin: 'cel',
    target: 'pod-spec',
    // like the checker's workloadContainers, list items that are not mappings are not containers to judge
    validations: [{ expression: `${skip}${list}.all(c, type(c) != map || ${ok})`, offenders: failingContainers(list, ok) }],
    ...(options.partial ? { partial: options.partial } : {}),
  };
}

/** a resource quantity is present: a non-blank string or a number, as the checker's `hasQuantity`. */
const quantityPresent = (value: string) => `((type(${value}) == string && ${value}.trim() != '') || type(${value}) == int || type(${value}) == double)`;

/** a list field of an RBAC rule `r` holds `value` (only lists count, as the checker's `stringsOf`). */
const lists = (field: string, value: string) => `(has(r.${field}) && type(r.${field}) == list && ${value} in r.${field})`;

/** the rule `r` grants `verb` on `resource` of `group`, wildcards included, as the checker's `grants`. */
function grants(verb: string, group: string, resource: string): string {
  const slash = resource.indexOf('/');
  const subresourceWildcard = slash >= 0 ? ` || ${lists('resources', celString(`*${resource.slice(slash)}`))}` : '';
  return `((${lists('verbs', celString(verb))} || ${lists('verbs', '\'*\'')})`
    + ` && (${lists('apiGroups', celString(group))} || ${lists('apiGroups', '\'*\'')})`
    + ` && (${lists('resources', celString(resource))} || ${lists('resources', '\'*\'')}${subresourceWildcard}))`;
}

/** a twin over a Role or ClusterRole: every rule (mapping entries of a `rules` list) must satisfy `ok`. */
function roleTwin(ok: string): CelTwin {
  const rules = '(has(object.rules) && type(object.rules) == list ? object.rules : [])';
  return {
    twin: 'cel',
    target: 'role',
    validations: [{ expression: `${rules}.all(r, type(r) != map || ${ok})` }],
  };
}

/** CEL true when rule `r` gives any of the grants; cluster-scoped grants count only in a ClusterRole, as in the checker. */
function grantsAny(dangerous: readonly DangerousGrant[]): string {
  return `(${dangerous.map((grant) => {
    const any = grant.resources.flatMap((resource) => grant.verbs.map((verb) => grants(verb, grant.apiGroup, resource))).join(' || ');
    return grant.clusterScoped ? `(object.kind == 'ClusterRole' && (${any}))` : `(${any})`;
  }).join(' || ')})`;
}

/** a twin of a rule that flags a role with any of the catalogue's dangerous grants. */
const dangerousGrantTwin = (dangerous: readonly DangerousGrant[]) => roleTwin(`!${grantsAny(dangerous)}`);

const [CSR_APPROVAL] = DANGEROUS_GRANTS.csrApproval;

/** a binding twin: every subject (mapping entries of a `subjects` list) must satisfy `ok` over `s`. */
function bindingSubjectsTwin(ok: string): CelTwin {
  return {
    twin: 'cel',
    target: 'binding',
    validations: [{ expression: `!has(object.subjects) || type(object.subjects) != list || object.subjects.all(s, type(s) != map || ${ok})` }],
  };
}

const subjectIs = (kind: string) => `(has(s.kind) && s.kind == ${celString(kind)} && has(s.name) && type(s.name) == string)`;
const roleRefIs = (field: string) => `(has(object.roleRef) && type(object.roleRef) == map && has(object.roleRef.${field}) ? object.roleRef.${field} : '')`;

/** the entries of a list field of the object's spec, `[]` when absent or not a list. */
const specList = (field: string) => `(has(object.spec) && type(object.spec) == map && has(object.spec.${field}) && type(object.spec.${field}) == list ? object.spec.${field} : [])`;

const INGRESS_TLS = specList('tls');
const INGRESS_ANNOTATIONS = '(has(object.metadata) && has(object.metadata.annotations) && type(object.metadata.annotations) == map ? object.metadata.annotations : {})';

/** the TLS host pattern `p` covers host `h`: equal, or `*.` covering exactly one label, as the checker's `covers`. */
const tlsCovers = (p: string, h: string) => `(${p} == ${h} || (${p}.startsWith('*.') && ${h}.endsWith(${p}.substring(1))`
  + ` && !${h}.substring(0, size(${h}) - size(${p}) + 1).contains('.')))`;

/** a `local` PV path as the checker normalises it: empty and `.` segments dropped, a leading `/`. */
const NORMAL_LOCAL_PATH = '(\'/\' + object.spec.local.path.split(\'/\').filter(p, p != \'\' && p != \'.\').join(\'/\'))';

/** a field of mapping `m` that is absent or null, as the checker's `=== undefined || === null`. */
const unsetOrNull = (m: string, field: string) => `(!has(${m}.${field}) || type(${m}.${field}) == null_type)`;

/** the label selector `s` selects everything: `{}`, or only empty matchLabels/matchExpressions (the checker's `selectsEverything`). */
const selectsEverything = (s: string) => `(type(${s}) == map`
  + ` && (${unsetOrNull(s, 'matchLabels')} || (type(${s}.matchLabels) == map && size(${s}.matchLabels) == 0))`
  + ` && (${unsetOrNull(s, 'matchExpressions')} || (type(${s}.matchExpressions) == list && size(${s}.matchExpressions) == 0)))`;

/** the selector `s` selects everything but a few: expressions that only exclude (the checker's `selectsNearlyEverything`). */
const selectsNearlyEverything = (s: string) => `(type(${s}) == map && (${selectsEverything(s)}`
  + ` || (!(has(${s}.matchLabels) && type(${s}.matchLabels) == map && size(${s}.matchLabels) > 0)`
  + ` && has(${s}.matchExpressions) && type(${s}.matchExpressions) == list && size(${s}.matchExpressions) > 0`
  + ` && ${s}.matchExpressions.all(e, type(e) == map && has(e.operator) && (e.operator == 'NotIn' || e.operator == 'DoesNotExist'`
  + ' || (e.operator == \'Exists\' && has(e.key) && e.key == \'kubernetes.io/metadata.name\'))))))';

/** the egress peer `p` reaches every pod of (nearly) every namespace (the checker's `peerSelectsAllPodsEverywhere`). */
const peerSelectsAllPodsEverywhere = (p: string) => `(type(${p}) == map && has(${p}.namespaceSelector) && ${selectsNearlyEverything(`${p}.namespaceSelector`)}`
  + ` && (${unsetOrNull(p, 'podSelector')} || ${selectsNearlyEverything(`${p}.podSelector`)}))`;

/** the policy isolates egress: a non-empty policyTypes naming Egress, else egress rules (the checker's `effectivePolicyTypes`). */
const ISOLATES_EGRESS = `(size(${specList('policyTypes')}) > 0 ? 'Egress' in ${specList('policyTypes')} : size(${specList('egress')}) > 0)`;

const labels = '(has(object.metadata.labels) ? object.metadata.labels : {})';

export const HARDENED_TWINS: TwinDeclarations = {
  [RuleIds.NAMESPACE_PSA_LABELS]: {
    twin: 'cel',
    target: 'namespace',
    validations: PSA_LABEL_MODES.map((mode) => {
      const level = celString(`pod-security.kubernetes.io/${mode}`);
      const version = celString(`pod-security.kubernetes.io/${mode}-version`);
      return {
        expression: `${level} in ${labels} && ${labels}[${level}] == ${celString(PSA_LABEL_LEVEL)}`
          + ` && ${version} in ${labels} && type(${labels}[${version}]) == string && ${labels}[${version}].matches('^v1\\\\.[0-9]+$')`,
        offenders: `[${level}, ${version}]`,
      };
    }),
  },
  [RuleIds.NAMESPACE_DEFAULT_DENY_INGRESS]: {
    twin: 'none',
    reason: 'cross-object: needs the NetworkPolicies of the namespace, which a Namespace admission request does not carry',
  },
  [RuleIds.NAMESPACE_DEFAULT_DENY_EGRESS]: {
    twin: 'none',
    reason: 'cross-object: needs the NetworkPolicies of the namespace, which a Namespace admission request does not carry',
  },
  [RuleIds.NAMESPACE_DEFAULT_SERVICE_ACCOUNT_AUTOMOUNT]: {
    twin: 'none',
    reason: 'cross-object: needs the namespace\'s default ServiceAccount, which Kubernetes creates after the Namespace is admitted',
  },
  [RuleIds.NETPOL_METADATA_REACHABLE]: {
    twin: 'none',
    reason: 'cross-object: NetworkPolicies add up, so reachability needs every policy that selects the pods, not the one under admission',
  },
  [RuleIds.NETPOL_EGRESS_NO_DESTINATION]: {
    twin: 'cel',
    target: 'network-policy',
    validations: [{
      expression: '!(has(object.spec.policyTypes) && size(object.spec.policyTypes) > 0 ? \'Egress\' in object.spec.policyTypes : (has(object.spec.egress) && size(object.spec.egress) > 0))'
        + ' || !has(object.spec.egress) || object.spec.egress.all(r, type(r) != map || (has(r.to) && type(r.to) == list && size(r.to) > 0))',
    }],
  },
  [RuleIds.NETPOL_DNS_ANY_DESTINATION]: {
    twin: 'none',
    reason: 'needs CIDR containment over ipBlocks and excepts; cidr() is usable in new expressions only from Kubernetes 1.31, and string matching would decide it differently from the checker',
  },
  [RuleIds.WORKLOAD_TOKEN_AUTOMOUNT]: {
    twin: 'cel',
    target: 'pod-spec',
    partial: 'denies a pod spec that sets automountServiceAccountToken: true; an unset value depends on the ServiceAccount, another object, so that part stays pre-merge only',
    validations: [{ expression: unsetOr(SPEC, ['automountServiceAccountToken'], (value) => `${value} != true`) }],
  },
  [RuleIds.WORKLOAD_DEFAULT_SERVICE_ACCOUNT]: {
    twin: 'cel',
    target: 'pod-spec',
    validations: [{
      // the first of serviceAccountName and the deprecated serviceAccount that is a non-empty string names the account
      expression: `(${setAnd(SPEC, ['serviceAccountName'], (name) => `type(${name}) == string && ${name} != ''`)}`
        + ` ? ${SPEC}.serviceAccountName != 'default'`
        + ` : ${setAnd(SPEC, ['serviceAccount'], (name) => `type(${name}) == string && ${name} != '' && ${name} != 'default'`)})`,
    }],
  },
  [RuleIds.RBAC_CLUSTER_ADMIN_BINDING]: {
    twin: 'cel',
    target: 'binding',
    validations: [{
      expression: `!(${setAnd('object', ['roleRef', 'kind'], (kind) => `${kind} == 'ClusterRole'`)} && ${setAnd('object', ['roleRef', 'name'], (name) => `${name} == 'cluster-admin'`)})`,
    }],
  },
  [RuleIds.RBAC_WILDCARD]: roleTwin(`${celStrings(WILDCARD_FIELDS)}.all(f, !(f in r) || type(r[f]) != list`
    + ' || r[f].all(v, type(v) != string || (v != \'*\' && !(f == \'resources\' && v.startsWith(\'*/\')))))'),
  [RuleIds.RBAC_ESCALATION_VERBS]: roleTwin(`!(${ESCALATION_VERBS.map((verb) => lists('verbs', celString(verb))).join(' || ')}`
    + ` || (${lists('verbs', '\'*\'')} && (${ESCALATION_TARGETS.map(([verb, group, resource]) => grants(verb, group, resource)).join(' || ')})))`),
  [RuleIds.RBAC_CREATE_PODS]: roleTwin(`!(${POD_CREATING_RESOURCES.map(([group, resource]) => grants('create', group, resource)).join(' || ')})`),
  [RuleIds.RBAC_READ_SECRETS]: roleTwin(`!(${SECRET_READ_VERBS.map((verb) => grants(verb, '', 'secrets')).join(' || ')})`),
  [RuleIds.RBAC_PODS_EXEC]: roleTwin(`!(${EXEC_SUBRESOURCES.flatMap((resource) => EXEC_VERBS.map((verb) => grants(verb, '', resource))).join(' || ')})`),
  [RuleIds.RBAC_NODES_PROXY]: dangerousGrantTwin(DANGEROUS_GRANTS.nodesProxy),
  [RuleIds.RBAC_TOKEN_REQUEST]: dangerousGrantTwin(DANGEROUS_GRANTS.tokenRequest),
  [RuleIds.RBAC_EPHEMERAL_CONTAINERS]: dangerousGrantTwin(DANGEROUS_GRANTS.ephemeralContainers),
  [RuleIds.RBAC_PORT_FORWARD]: dangerousGrantTwin(DANGEROUS_GRANTS.portForward),
  [RuleIds.RBAC_WORKLOAD_REWRITE]: dangerousGrantTwin(DANGEROUS_GRANTS.workloadRewrite),
  [RuleIds.RBAC_ADMISSION_CONFIG_WRITE]: dangerousGrantTwin(DANGEROUS_GRANTS.admissionConfig),
  [RuleIds.RBAC_SERVICE_STATUS]: dangerousGrantTwin(DANGEROUS_GRANTS.serviceStatus),
  [RuleIds.RBAC_CREATE_PERSISTENT_VOLUMES]: dangerousGrantTwin(DANGEROUS_GRANTS.createPersistentVolumes),
  [RuleIds.RBAC_CSR_APPROVAL]: {
    // update or patch on the approval subresource is enough: approve on a signer may come from another binding
    twin: 'cel',
    target: 'role',
    validations: [{
      expression: 'object.kind != \'ClusterRole\' || !(has(object.rules) && type(object.rules) == list'
        + ` && object.rules.exists(r, type(r) == map && ${grantsAny([CSR_APPROVAL])}))`,
    }],
  },
  [RuleIds.RBAC_DEFAULT_SERVICE_ACCOUNT_BINDING]: bindingSubjectsTwin(`!((${subjectIs('ServiceAccount')} && s.name == 'default')`
    + ` || (${subjectIs('User')} && s.name.matches('^system:serviceaccount:[^:]+:default$')))`),
  [RuleIds.RBAC_SYSTEM_GROUP_BINDING]: bindingSubjectsTwin(`!((${subjectIs('User')} && s.name == 'system:anonymous')`
    + ` || (${subjectIs('Group')} && (s.name in ${celStrings(BROAD_SYSTEM_GROUPS)} || s.name.startsWith('system:serviceaccounts:'))))`
    // the bindings the API server itself creates for these groups
    + ` || (object.kind == 'ClusterRoleBinding' && ${roleRefIs('kind')} == 'ClusterRole' && ${subjectIs('Group')}`
    + ` && (${BUILT_IN_GROUP_BINDINGS.map(([role, group]) => `(${roleRefIs('name')} == ${celString(role)} && s.name == ${celString(group)})`).join(' || ')}))`),
  [RuleIds.SERVICE_LOAD_BALANCER]: {
    twin: 'cel',
    target: 'service',
    validations: [{ expression: '!has(object.spec.type) || object.spec.type != \'LoadBalancer\'' }],
  },
  [RuleIds.CONTAINER_ROOT_GROUP]: {
    twin: 'cel',
    target: 'pod-spec',
    validations: [
      {
        expression: `!has(${SPEC}.securityContext) || type(${SPEC}.securityContext) != map || (['runAsGroup', 'fsGroup'].all(f, !(f in ${SPEC}.securityContext) || ${SPEC}.securityContext[f] != 0)`
          + ` && (!has(${SPEC}.securityContext.supplementalGroups) || type(${SPEC}.securityContext.supplementalGroups) != list || ${SPEC}.securityContext.supplementalGroups.all(g, g != 0)))`,
        offenders: '[\'pod\']',
      },
      {
        expression: 'variables.containers.all(c, type(c) != map || !has(c.securityContext) || type(c.securityContext) != map || !has(c.securityContext.runAsGroup) || c.securityContext.runAsGroup != 0)',
        offenders: 'variables.containers.filter(c, type(c) == map && has(c.securityContext) && type(c.securityContext) == map && has(c.securityContext.runAsGroup) && c.securityContext.runAsGroup == 0).map(c, c.name)',
      },
    ],
  },
  [RuleIds.SECRET_IN_ENV]: podSpecTwin('variables.containers',
    '((!has(c.env) || type(c.env) != list || c.env.all(e, type(e) != map || !has(e.valueFrom) || type(e.valueFrom) != map'
    + ' || !has(e.valueFrom.secretKeyRef) || type(e.valueFrom.secretKeyRef) != map))'
    + ' && (!has(c.envFrom) || type(c.envFrom) != list || c.envFrom.all(e, type(e) != map || !has(e.secretRef) || type(e.secretRef) != map)))'),
  [RuleIds.SECRET_COMMITTED_DATA]: {
    twin: 'none',
    reason: 'at admission every Secret carries its data, including the ones the External Secrets controller, the CSI driver, cert-manager and the token controller write; only the repository can tell a committed value from a synced one',
  },
  [RuleIds.SECRET_LITERAL_IN_ENV]: {
    twin: 'none',
    reason: 'the high-entropy part needs Shannon entropy over each token, which 1.28 CEL cannot compute within the cost budget, and a twin of the key formats alone would judge differently from the checker; secret values are caught before merge, where rotation is still cheap',
  },
  [RuleIds.SECRET_LITERAL_IN_CONFIG_MAP]: {
    twin: 'none',
    reason: 'the high-entropy part needs Shannon entropy over each token of multi-line values, which 1.28 CEL cannot compute within the cost budget; and a policy on every ConfigMap of the cluster judges objects (kube-root-ca.crt, controller leases) the repository does not hold',
  },
  [RuleIds.SECRET_STORE_STATIC_CREDENTIALS]: {
    twin: 'none',
    reason: 'the credential references sit at a different depth in each of the External Secrets providers (auth.secretRef, auth.tokenSecretRef, authSecretRef, auth.appRole.secretRef...), and CEL cannot search an object tree of unknown depth, so a twin would check a fixed list and drift from the checker',
  },
  [RuleIds.CLUSTER_SECRET_STORE_UNRESTRICTED]: {
    twin: 'cel',
    target: 'secret-store',
    validations: [{
      // conditions must be a non-empty list, and no mapping condition may carry a mapping namespaceSelector without requirements
      expression: 'object.kind != \'ClusterSecretStore\' || (has(object.spec) && has(object.spec.conditions) && type(object.spec.conditions) == list'
        + ' && size(object.spec.conditions) > 0 && object.spec.conditions.all(c, type(c) != map || !has(c.namespaceSelector) || type(c.namespaceSelector) != map'
        + ' || (has(c.namespaceSelector.matchLabels) && type(c.namespaceSelector.matchLabels) == map && size(c.namespaceSelector.matchLabels) > 0)'
        + ' || (has(c.namespaceSelector.matchExpressions) && type(c.namespaceSelector.matchExpressions) == list && size(c.namespaceSelector.matchExpressions) > 0)))',
    }],
  },
  [RuleIds.NETPOL_ALLOW_ALL_INGRESS]: {
    twin: 'cel',
    target: 'network-policy',
    validations: [{
      // Ingress is isolated unless policyTypes is a non-empty list without it; every ingress rule then needs a source
      expression: '(has(object.spec.policyTypes) && type(object.spec.policyTypes) == list && size(object.spec.policyTypes) > 0 && !(\'Ingress\' in object.spec.policyTypes))'
        + ' || !has(object.spec.ingress) || type(object.spec.ingress) != list'
        + ' || object.spec.ingress.all(r, type(r) != map || (has(r.from) && type(r.from) == list && size(r.from) > 0))',
    }],
  },
  [RuleIds.DEFAULT_NAMESPACE]: {
    twin: 'none',
    reason: 'where an object lands is decided by the request (kubectl\'s context) as much as by the manifest, so the cluster would judge objects the checker cannot see; the PodSecurity defaults and the namespace-scoped twins cover the default namespace in the cluster',
  },
  [RuleIds.NETPOL_INGRESS_FROM_ANYWHERE]: {
    twin: 'none',
    reason: 'needs CIDR arithmetic (ipBlocks that add up to 0.0.0.0/0 or ::/0); cidr() is usable in new expressions only from Kubernetes 1.31, and string matching would decide it differently from the checker',
  },
  [RuleIds.NETPOL_EGRESS_NON_PUBLIC_RANGES]: {
    twin: 'none',
    reason: 'needs CIDR arithmetic (how much of each private range the ipBlocks reach after their excepts); cidr() is usable in new expressions only from Kubernetes 1.31',
  },
  [RuleIds.NETPOL_EGRESS_ALL_PODS]: {
    twin: 'cel',
    target: 'network-policy',
    validations: [{
      expression: `!${ISOLATES_EGRESS} || ${specList('egress')}.all(r, type(r) != map || !has(r.to) || type(r.to) != list`
        + ` || r.to.all(p, !${peerSelectsAllPodsEverywhere('p')}))`,
    }],
  },
  [RuleIds.RBAC_AGGREGATE_TO_BUILT_IN]: {
    twin: 'none',
    reason: 'cross-object: whether an aggregation widens a built-in role depends on the effective rules of the built-in roles and of the ClusterRoles an aggregationRule selects',
  },
  [RuleIds.RBAC_BINDING_ESCALATION]: {
    twin: 'none',
    reason: 'cross-object: needs the effective rules of the bound ClusterRole, aggregation included, which the binding under admission does not carry',
  },
  [RuleIds.INGRESS_TLS_MISSING]: {
    twin: 'cel',
    target: 'ingress',
    validations: [{
      // some tls mapping is needed; one without hosts covers every host, else each string rule host needs a covering pattern
      expression: `${INGRESS_TLS}.exists(t, type(t) == map)`
        + ` && (${INGRESS_TLS}.exists(t, type(t) == map && (!has(t.hosts) || type(t.hosts) != list || size(t.hosts) == 0))`
        + ` || ${specList('rules')}.all(r, type(r) != map || !has(r.host) || type(r.host) != string`
        + ` || ${INGRESS_TLS}.exists(t, type(t) == map && has(t.hosts) && type(t.hosts) == list && t.hosts.exists(p, type(p) == string && ${tlsCovers('p', 'r.host')}))))`,
      offenders: `${specList('rules')}.filter(r, type(r) == map && has(r.host) && type(r.host) == string`
        + ` && !${INGRESS_TLS}.exists(t, type(t) == map && has(t.hosts) && type(t.hosts) == list && t.hosts.exists(p, type(p) == string && ${tlsCovers('p', 'r.host')}))).map(r, r.host)`,
    }],
  },
  [RuleIds.INGRESS_NGINX_SNIPPET]: {
    twin: 'cel',
    target: 'ingress',
    partial: 'denies the snippet annotations on an Ingress; the controller ConfigMap\'s allow-snippet-annotations is not matched (a policy on every ConfigMap of the cluster for one key costs more than it protects), so that part stays pre-merge only',
    validations: [{
      // a `<prefix>/<name>-snippet(s)` key whose prefix names nginx or ingress, as the checker's two patterns together
      expression: `!${INGRESS_ANNOTATIONS}.exists(k, k.matches('^[^/]*(nginx|ingress)[^/]*/[a-z-]+-snippets?$'))`,
      offenders: `${INGRESS_ANNOTATIONS}.filter(k, k.matches('^[^/]*(nginx|ingress)[^/]*/[a-z-]+-snippets?$'))`,
    }],
  },
  [RuleIds.PV_HOST_PATH]: {
    twin: 'cel',
    target: 'storage',
    // the verdict is the object's own; only the checker's message adds the claims and workloads that reach it
    validations: [
      {
        expression: `object.kind != 'StorageClass' || !has(object.provisioner) || type(object.provisioner) != string || !(object.provisioner in ${celStrings(HOST_PATH_PROVISIONERS)})`,
      },
      {
        expression: 'object.kind != \'PersistentVolume\' || !has(object.spec) || type(object.spec) != map'
          + ' || (!(has(object.spec.hostPath) && type(object.spec.hostPath) == map)'
          + ' && !(has(object.spec.local) && type(object.spec.local) == map && has(object.spec.local.path) && type(object.spec.local.path) == string'
          + ` && (${NORMAL_LOCAL_PATH} in ${celStrings(SYSTEM_ROOTS)}`
          + ` || ${celStrings(SYSTEM_TREES)}.exists(t, ${NORMAL_LOCAL_PATH} == t || ${NORMAL_LOCAL_PATH}.startsWith(t + '/')))))`,
      },
    ],
  },
  [RuleIds.IMAGE_DIGEST_MISSING]: podSpecTwin('variables.containers',
    '(!has(c.image) || type(c.image) != string || c.image == \'\' || c.image.matches(\'^[^@]*@sha256:[a-f0-9]{64}$\'))'),
  [RuleIds.IMAGE_TAG_LATEST]: podSpecTwin('variables.containers',
    // a digest pins the image; otherwise the reference before '@' needs a tag (text after a colon that follows the last slash) other than latest
    '(!has(c.image) || type(c.image) != string || c.image == \'\' || c.image.matches(\'^[^@]*@sha256:[a-f0-9]{64}$\')'
    + ' || (c.image.matches(\'^[^@]*:[^/@:]+(@.*)?$\') && !c.image.matches(\'^[^@]*:latest(@.*)?$\')))'),
  [RuleIds.CONTAINER_WRITABLE_ROOT]: podSpecTwin('variables.containers',
    setAnd('c', ['securityContext', 'readOnlyRootFilesystem'], (value) => `${value} == true`), { skip: 'variables.isWindows' }),
  [RuleIds.CONTAINER_MEMORY_LIMIT]: podSpecTwin('variables.resourceContainers',
    setAnd('c', ['resources', 'limits', 'memory'], quantityPresent)),
  [RuleIds.CONTAINER_REQUESTS]: podSpecTwin('variables.resourceContainers', `(${REQUESTED_RESOURCES.map((resource) =>
    `(${setAnd('c', ['resources', 'requests', resource], quantityPresent)} || ${setAnd('c', ['resources', 'limits', resource], quantityPresent)})`).join(' && ')})`),
  [RuleIds.CONTAINER_PROBES]: podSpecTwin('variables.regularContainers',
    `(${PROBES.map((probe) => `(${isSet('c', [probe])} && type(c.${probe}) == map)`).join(' && ')})`, {
      skip: `(object.kind in ${celStrings(RUN_TO_COMPLETION_KINDS)} || (has(${SPEC}.restartPolicy) && ${SPEC}.restartPolicy in ${celStrings(RUN_TO_COMPLETION_RESTART_POLICIES)}))`,
    }),
  [RuleIds.HOST_PATH_CRI_SOCKET]: {
    twin: 'none',
    reason: 'deciding whether a hostPath holds a runtime socket needs path normalisation (.., //, trailing slashes) that 1.28 CEL cannot express without drifting from the checker; the pss-host-path-volumes and pss-restricted-volumes twins deny every hostPath volume in the cluster',
  },
  [RuleIds.SERVICE_NODE_PORT]: {
    twin: 'cel',
    target: 'service',
    partial: 'denies type NodePort; the API server allocates nodePorts for a LoadBalancer before validating admission, so an explicit nodePort cannot be told from an allocated one and that part stays pre-merge only',
    validations: [{ expression: '!has(object.spec.type) || object.spec.type != \'NodePort\'' }],
  },
  [RuleIds.SERVICE_EXTERNAL_IPS]: {
    twin: 'cel',
    target: 'service',
    validations: [{ expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0' }],
  },
  [RuleIds.KUBELET_CONFIG_INSECURE]: {
    twin: 'none',
    reason: 'not an API object: a node configuration file that never reaches the API server',
  },
  [RuleIds.KUBELET_CONFIG_WEAK]: {
    twin: 'none',
    reason: 'not an API object: a node configuration file that never reaches the API server',
  },
  [RuleIds.KUBEADM_CONTROL_PLANE_INSECURE]: {
    twin: 'none',
    reason: 'not an API object: a node configuration file that never reaches the API server',
  },
  [RuleIds.ENCRYPTION_CONFIG_WEAK]: {
    twin: 'none',
    reason: 'not an API object: a node configuration file that never reaches the API server',
  },
  [RuleIds.AUDIT_POLICY_GAPS]: {
    twin: 'none',
    reason: 'not an API object: a node configuration file that never reaches the API server',
  },
  [RuleIds.AUTHENTICATION_ANONYMOUS_UNRESTRICTED]: {
    twin: 'none',
    reason: 'not an API object: a node configuration file that never reaches the API server',
  },
};
