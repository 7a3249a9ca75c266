/**
 * The admission twins of the `hardened` pack's rules beyond PSS: one CEL twin per rule that one
 * object decides, and an explicit "no twin" with the reason for each rule that needs other objects.
 */
import { PROBES, RUN_TO_COMPLETION_KINDS, RUN_TO_COMPLETION_RESTART_POLICIES } from '../../checker/rules/hygiene/container-probes';
import { REQUESTED_RESOURCES } from '../../checker/rules/hygiene/container-requests';
import { PSA_LABEL_LEVEL, PSA_LABEL_MODES } from '../../checker/rules/namespace/namespace-psa-labels';
import { POD_CREATING_RESOURCES } from '../../checker/rules/rbac/rbac-create-pods';
import { ESCALATION_TARGETS, ESCALATION_VERBS } from '../../checker/rules/rbac/rbac-escalation-verbs';
import { EXEC_SUBRESOURCES, EXEC_VERBS } from '../../checker/rules/rbac/rbac-pods-exec';
import { SECRET_READ_VERBS } from '../../checker/rules/rbac/rbac-read-secrets';
import { WILDCARD_FIELDS } from '../../checker/rules/rbac/rbac-wildcard';
import { RuleIds } from '../../rule-ids';
import { celString, celStrings, failingContainers, isSet, setAnd, unsetOr } from '../cel';
import type { CelTwin, TwinDeclarations } from '../twin';

const SPEC = 'variables.podSpec';

function podSpecTwin(list: string, ok: string, options: { skip?: string; partial?: string } = {}): CelTwin {
  const skip = options.skip ? `${options.skip} || ` : '';
  return {
    twin: 'cel',
    target: 'pod-spec',
    validations: [{ expression: `${skip}${list}.all(c, ${ok})`, offenders: failingContainers(list, ok) }],
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
  [RuleIds.IMAGE_DIGEST_MISSING]: podSpecTwin('variables.containers',
    '(!has(c.image) || type(c.image) != string || c.image == \'\' || c.image.matches(\'^[^@]*@sha256:[a-f0-9]{64}$\'))'),
  [RuleIds.IMAGE_TAG_LATEST]: podSpecTwin('variables.containers',
    // a digest pins the image; otherwise the reference before '@' needs a tag (text after a colon that follows the last slash) other than latest
    '(!has(c.image) || type(c.image) != string || c.image == \'\' || c.image.matches(\'^[^@]*@sha256:[a-f0-9]{64}$\')'
    + ' || (c.image.matches(\'^[^@]*:[^/@:]+(@.*)?$\') && !c.image.matches(\'^[^@]*:latest(@.*)?$\')))'),
  [RuleIds.CONTAINER_WRITABLE_ROOT]: podSpecTwin('variables.containers',
    setAnd('c', ['securityContext', 'readOnlyRootFilesystem'], (value) => `${value} == true`), { skip: 'variables.isWindows' }),
  [RuleIds.CONTAINER_ROOT_GROUP]: {
    twin: 'cel',
    target: 'pod-spec',
    validations: [
      { expression: unsetOr(SPEC, ['securityContext', 'runAsGroup'], (value) => `${value} != 0`) },
      { expression: unsetOr(SPEC, ['securityContext', 'fsGroup'], (value) => `${value} != 0`) },
      { expression: unsetOr(SPEC, ['securityContext', 'supplementalGroups'], (value) => `type(${value}) != list || !${value}.exists(g, g == 0)`) },
      ...podSpecTwin('variables.containers', unsetOr('c', ['securityContext', 'runAsGroup'], (value) => `${value} != 0`)).validations,
    ],
  },
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
};
