/**
 * The admission twins of the Pod Security Standards v1.28 rules. Each reads the same allow-lists
 * as its rule, so a list changes in one place. Every field is guarded with `has()` from the top
 * down; anything of the wrong shape makes the expression error, and `failurePolicy: Fail` turns
 * that into a denial, just as the checker reports what it cannot verify.
 */
import { APP_ARMOR_ANNOTATION_PREFIX } from '../../checker/rules/pss/pss-app-armor-profile';
import { BASELINE_ALLOWED_CAPABILITIES } from '../../checker/rules/pss/pss-capabilities-baseline';
import { HOST_NAMESPACE_FIELDS } from '../../checker/rules/pss/pss-host-namespaces';
import { ALLOWED_VOLUME_SOURCES } from '../../checker/rules/pss/pss-restricted-volumes';
import { ALLOWED_SE_LINUX_TYPES } from '../../checker/rules/pss/pss-se-linux-options';
import { ALLOWED_SECCOMP_TYPES } from '../../checker/rules/pss/pss-seccomp-profile-baseline';
import { ALLOWED_SYSCTLS } from '../../checker/rules/pss/pss-sysctls';
import { RuleIds } from '../../model/rule-ids';
import { celString, celStrings, failingContainers, isSet, setAnd, unsetOr } from '../cel';
import type { CelTwin, TwinDeclarations } from '../twin';

const SPEC = 'variables.podSpec';
const CONTAINERS = 'variables.containers';

/** a twin over the pod spec whose containers must each satisfy `ok` (a CEL predicate over `c`). */
function eachContainer(ok: string, extra: CelTwin['validations'] = []): CelTwin {
  return {
    twin: 'cel',
    target: 'pod-spec',
    validations: [...extra, { expression: `${CONTAINERS}.all(c, type(c) == map && ${ok})`, offenders: failingContainers(CONTAINERS, ok) }],
  };
}

/** a twin that applies one security-context test to the pod and to every container. */
function podAndContainers(test: (holder: string) => string): CelTwin {
  return eachContainer(test('c'), [{ expression: test(SPEC), offenders: '[\'pod\']' }]);
}

/** `ok` unless the pod declares `spec.os.name: windows` (the v1.25+ relaxations). */
function unlessWindows(twin: CelTwin): CelTwin {
  return { ...twin, validations: twin.validations.map((validation) => ({ ...validation, expression: `variables.isWindows || ${validation.expression}` })) };
}

const seLinux = (holder: string) => unsetOr(holder, ['securityContext', 'seLinuxOptions'], (options) =>
  `(${unsetOr(options, ['type'], (type) => `${type} in ${celStrings(ALLOWED_SE_LINUX_TYPES)}`)}`
  + ` && ${unsetOr(options, ['user'], (user) => `${user} == ''`)}`
  + ` && ${unsetOr(options, ['role'], (role) => `${role} == ''`)})`);

/** a set seccomp profile must name an allowed type. */
const seccompAllowed = (holder: string) => setAnd(holder, ['securityContext', 'seccompProfile', 'type'], (type) => `${type} in ${celStrings(ALLOWED_SECCOMP_TYPES)}`);
const seccompSet = (holder: string) => isSet(holder, ['securityContext', 'seccompProfile']);

const podRunAsNonRootSet = isSet(SPEC, ['securityContext', 'runAsNonRoot']);

export const PSS_TWINS: TwinDeclarations = {
  [RuleIds.PSS_WINDOWS_HOST_PROCESS]: podAndContainers((holder) =>
    unsetOr(holder, ['securityContext', 'windowsOptions', 'hostProcess'], (value) => `${value} == false`)),

  [RuleIds.PSS_HOST_NAMESPACES]: {
    twin: 'cel',
    target: 'pod-spec',
    validations: [{
      expression: `${celStrings(HOST_NAMESPACE_FIELDS)}.all(f, !(f in ${SPEC}) || ${SPEC}[f] == false)`,
      offenders: `${celStrings(HOST_NAMESPACE_FIELDS)}.filter(f, f in ${SPEC} && ${SPEC}[f] != false)`,
    }],
  },

  [RuleIds.PSS_PRIVILEGED]: eachContainer(unsetOr('c', ['securityContext', 'privileged'], (value) => `${value} == false`)),

  [RuleIds.PSS_CAPABILITIES_BASELINE]: eachContainer(unsetOr('c', ['securityContext', 'capabilities', 'add'], (add) =>
    `${add}.all(a, a in ${celStrings(BASELINE_ALLOWED_CAPABILITIES)})`)),

  [RuleIds.PSS_HOST_PATH_VOLUMES]: {
    twin: 'cel',
    target: 'pod-spec',
    validations: [{
      expression: unsetOr(SPEC, ['volumes'], (volumes) => `${volumes}.all(v, !has(v.hostPath))`),
      offenders: 'variables.volumes.filter(v, has(v.hostPath)).map(v, v.name)',
    }],
  },

  [RuleIds.PSS_HOST_PORTS]: eachContainer(unsetOr('c', ['ports'], (ports) => `${ports}.all(p, !has(p.hostPort) || p.hostPort == 0)`)),

  [RuleIds.PSS_APP_ARMOR_PROFILE]: {
    twin: 'cel',
    target: 'pod-spec',
    validations: [{
      expression: unsetOr('variables.podMetadata', ['annotations'], (annotations) => `${annotations}.all(k, !k.startsWith(${celString(APP_ARMOR_ANNOTATION_PREFIX)})`
        + ` || ${annotations}[k] == '' || ${annotations}[k] == 'runtime/default' || ${annotations}[k].startsWith('localhost/'))`),
      offenders: `variables.podMetadata.annotations.filter(k, k.startsWith(${celString(APP_ARMOR_ANNOTATION_PREFIX)})`
        + ' && !(variables.podMetadata.annotations[k] in [\'\', \'runtime/default\'] || variables.podMetadata.annotations[k].startsWith(\'localhost/\')))',
    }],
  },

  [RuleIds.PSS_SE_LINUX_OPTIONS]: podAndContainers(seLinux),

  [RuleIds.PSS_PROC_MOUNT]: eachContainer(unsetOr('c', ['securityContext', 'procMount'], (value) => `${value} == 'Default'`)),

  [RuleIds.PSS_SECCOMP_PROFILE_BASELINE]: podAndContainers((holder) => `(!${seccompSet(holder)} || ${seccompAllowed(holder)})`),

  [RuleIds.PSS_SYSCTLS]: {
    twin: 'cel',
    target: 'pod-spec',
    validations: [{
      expression: unsetOr(SPEC, ['securityContext', 'sysctls'], (sysctls) => `${sysctls}.all(s, has(s.name) && s.name in ${celStrings(ALLOWED_SYSCTLS)})`),
      offenders: `${SPEC}.securityContext.sysctls.filter(s, !(s.name in ${celStrings(ALLOWED_SYSCTLS)})).map(s, s.name)`,
    }],
  },

  [RuleIds.PSS_RESTRICTED_VOLUMES]: {
    twin: 'cel',
    target: 'pod-spec',
    validations: [{
      // a volume is a map of its name and its source; every key but `name` is a source.
      expression: unsetOr(SPEC, ['volumes'], (volumes) => `${volumes}.all(v, v.all(k, k == 'name' || k in ${celStrings(ALLOWED_VOLUME_SOURCES)}))`),
      offenders: `variables.volumes.filter(v, !v.all(k, k == 'name' || k in ${celStrings(ALLOWED_VOLUME_SOURCES)})).map(v, v.name)`,
    }],
  },

  [RuleIds.PSS_ALLOW_PRIVILEGE_ESCALATION]: unlessWindows(eachContainer(
    setAnd('c', ['securityContext', 'allowPrivilegeEscalation'], (value) => `${value} == false`))),

  [RuleIds.PSS_RUN_AS_NON_ROOT]: eachContainer(
    `(${isSet('c', ['securityContext', 'runAsNonRoot'])} ? c.securityContext.runAsNonRoot == true : (${podRunAsNonRootSet} && ${SPEC}.securityContext.runAsNonRoot == true))`,
    [{ expression: unsetOr(SPEC, ['securityContext', 'runAsNonRoot'], (value) => `${value} == true`), offenders: '[\'pod\']' }],
  ),

  [RuleIds.PSS_RUN_AS_USER]: podAndContainers((holder) =>
    unsetOr(holder, ['securityContext', 'runAsUser'], (value) => `(type(${value}) == int && ${value} != 0)`)),

  [RuleIds.PSS_SECCOMP_PROFILE_RESTRICTED]: unlessWindows(eachContainer(
    `(${seccompSet('c')} ? ${seccompAllowed('c')} : ${seccompSet(SPEC)})`,
    [{ expression: `(!${seccompSet(SPEC)} || ${seccompAllowed(SPEC)})`, offenders: '[\'pod\']' }],
  )),

  [RuleIds.PSS_CAPABILITIES_RESTRICTED]: unlessWindows(eachContainer(
    `(${setAnd('c', ['securityContext', 'capabilities', 'drop'], (drop) => `'ALL' in ${drop}`)}`
    + ` && ${unsetOr('c', ['securityContext', 'capabilities', 'add'], (add) => `${add}.all(a, a == 'NET_BIND_SERVICE')`)})`,
  )),
};
