import { Chart, Testing } from 'cdk8s';
import { MinimalServiceAccount, MinimalServiceAccountProps, WorkloadIdentity } from '../../src';
import { validateAgainstSchema } from '../support/schema';

const REASON = 'the operator reconciles these objects';

function synth(props: MinimalServiceAccountProps = {}, namespace: string | undefined = 'shop') {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  const account = new MinimalServiceAccount(chart, 'api', props);
  const objects = Testing.synth(chart);
  validateAgainstSchema(objects);
  return { objects, account, byKind: (kind: string) => objects.filter((o: any) => o.kind === kind) };
}

describe('MinimalServiceAccount |', () => {
  test('defaults', () => {
    const { objects } = synth();
    expect(objects).toMatchSnapshot();
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      kind: 'ServiceAccount',
      metadata: { name: 'api', namespace: 'shop' },
      automountServiceAccountToken: false,
    });
  });

  test('a named read grant becomes one Role and one RoleBinding', () => {
    const { objects, byKind } = synth({ grants: [{ resource: 'configmaps', verbs: ['get', 'watch'], resourceNames: ['api-config'] }] });
    expect(objects).toMatchSnapshot();
    expect(byKind('Role')[0].rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['api-config'], verbs: ['get', 'watch'] },
    ]);
    expect(byKind('RoleBinding')[0]).toMatchObject({
      metadata: { name: 'api', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'api' },
      subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }],
    });
    expect(byKind('ClusterRoleBinding')).toEqual([]);
  });

  test('a create-only grant may omit resourceNames', () => {
    const { byKind } = synth({ grants: [{ apiGroup: 'batch', resource: 'jobs/status', verbs: ['create'] }] });
    expect(byKind('Role')[0].rules).toEqual([{ apiGroups: ['batch'], resources: ['jobs/status'], verbs: ['create'] }]);
  });

  test('a projected token is recorded for the deployment', () => {
    const { account } = synth({ projectedToken: { audience: 'https://vault.example.com' } });
    expect(account.projectedToken).toEqual({ audience: 'https://vault.example.com', expirationSeconds: 600, mountPath: '/var/run/secrets/tokens' });
  });

  test.each([
    ['eks', WorkloadIdentity.eks({ roleArn: 'arn:aws:iam::123456789012:role/api', tokenExpirationSeconds: 3600 }),
      { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/api', 'eks.amazonaws.com/token-expiration': '3600' }],
    ['gke', WorkloadIdentity.gke({ serviceAccountEmail: 'api-runner@shop-prod.iam.gserviceaccount.com' }),
      { 'iam.gke.io/gcp-service-account': 'api-runner@shop-prod.iam.gserviceaccount.com' }],
    ['azure', WorkloadIdentity.azure({ clientId: '00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-000000000002' }),
      { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000001', 'azure.workload.identity/tenant-id': '00000000-0000-0000-0000-000000000002' }],
  ])('%s workload identity annotates the account', (_provider, workloadIdentity, annotations) => {
    const { objects } = synth({ workloadIdentity });
    expect(objects[0].metadata.annotations).toEqual(annotations);
    expect(objects[0].automountServiceAccountToken).toBe(false);
    expect(objects).toMatchSnapshot();
  });

  test('exceptions are written to the Role as suppression annotations', () => {
    const { byKind } = synth({
      grants: [
        { resource: 'secrets', verbs: ['get'], resourceNames: ['api-tls'] },
        { resource: 'pods/exec', verbs: ['create'] },
        { apiGroup: 'apps', resource: 'deployments', verbs: ['create'] },
      ],
      exceptions: { readSecrets: { reason: REASON }, podsExec: { reason: REASON }, createPods: { reason: REASON } },
    });
    expect(byKind('Role')[0].metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/rbac-read-secrets': REASON,
      'ignore-check.cdk8s-hardened.io/rbac-pods-exec': REASON,
      'ignore-check.cdk8s-hardened.io/rbac-create-pods': REASON,
    });
  });

  test('wildcard and escalation verbs with exceptions', () => {
    const { objects, byKind } = synth({
      grants: [
        { apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', verbs: ['bind', 'escalate'], resourceNames: ['api-role'] },
        { resource: 'configmaps', verbs: ['*'], resourceNames: ['api-cache'] },
      ],
      exceptions: { wildcard: { reason: REASON }, escalationVerbs: { reason: REASON, expires: '2027-01-31' } },
    });
    expect(byKind('Role')[0].metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/rbac-wildcard': REASON,
      'ignore-check.cdk8s-hardened.io/rbac-escalation-verbs': REASON,
      'ignore-check-expires.cdk8s-hardened.io/rbac-escalation-verbs': '2027-01-31',
    });
    expect(objects).toMatchSnapshot();
  });

  test('escalation paths with exceptions are annotated with their rules', () => {
    const { byKind } = synth({
      grants: [
        { resource: 'serviceaccounts/token', verbs: ['create'] },
        { resource: 'pods/ephemeralcontainers', verbs: ['patch'], resourceNames: ['debug-target'] },
        { resource: 'pods/portforward', verbs: ['create'] },
        { apiGroup: 'apps', resource: 'deployments', verbs: ['patch'], resourceNames: ['web'] },
        { resource: 'services/status', verbs: ['update'], resourceNames: ['web'] },
      ],
      exceptions: {
        tokenRequest: { reason: REASON },
        ephemeralContainers: { reason: REASON },
        portForward: { reason: REASON },
        workloadRewrite: { reason: REASON },
        serviceStatus: { reason: REASON },
      },
    });
    expect(byKind('Role')[0].metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/rbac-token-request': REASON,
      'ignore-check.cdk8s-hardened.io/rbac-ephemeral-containers': REASON,
      'ignore-check.cdk8s-hardened.io/rbac-port-forward': REASON,
      'ignore-check.cdk8s-hardened.io/rbac-workload-rewrite': REASON,
      'ignore-check.cdk8s-hardened.io/rbac-service-status': REASON,
    });
  });

  test('accepts the real spelling of built-in and custom resources', () => {
    const { byKind } = synth({
      grants: [
        { resource: 'pods/log', verbs: ['get'], resourceNames: ['api-0'] },
        { apiGroup: 'coordination.k8s.io', resource: 'leases', verbs: ['get', 'update'], resourceNames: ['api-leader'] },
        { apiGroup: 'cert-manager.io', resource: 'certificates', verbs: ['get'], resourceNames: ['api-tls'] },
      ],
    });
    expect(byKind('Role')[0].rules).toEqual([
      { apiGroups: [''], resourceNames: ['api-0'], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: ['coordination.k8s.io'], resourceNames: ['api-leader'], resources: ['leases'], verbs: ['get', 'update'] },
      { apiGroups: ['cert-manager.io'], resourceNames: ['api-tls'], resources: ['certificates'], verbs: ['get'] },
    ]);
  });

  test('cluster-admin only with an exception, and never namespaced', () => {
    const { objects, byKind } = synth({ exceptions: { clusterAdmin: { reason: REASON } } });
    const [binding] = byKind('ClusterRoleBinding');
    expect(binding.metadata.namespace).toBeUndefined();
    expect(binding.metadata.annotations).toEqual({ 'ignore-check.cdk8s-hardened.io/rbac-cluster-admin-binding': REASON });
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    expect(binding.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'api', namespace: 'shop' }]);
    expect(objects).toMatchSnapshot();
  });
});

describe('MinimalServiceAccount | validation', () => {
  test.each([
    ['the default name', { name: 'default' }, /name is "default": the namespace's default ServiceAccount is shared by every pod/],
    ['a wildcard verb', { grants: [{ resource: 'configmaps', verbs: ['*'], resourceNames: ['a'] }] }, /grants\[0\] contains a wildcard.*add exceptions\.wildcard with a reason/],
    ['a wildcard resource', { grants: [{ resource: '*', verbs: ['get'], resourceNames: ['a'] }] }, /grants\[0\] contains a wildcard/],
    ['a wildcard resource name', { grants: [{ resource: 'configmaps', verbs: ['get'], resourceNames: ['*'] }] }, /grants\[0\]\.resourceNames is \["\*"\]: RBAC matches resource names literally/],
    ['a wildcard api group', { grants: [{ apiGroup: '*', resource: 'configmaps', verbs: ['get'], resourceNames: ['a'] }] }, /grants\[0\] contains a wildcard/],
    ['escalate', { grants: [{ apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', verbs: ['escalate'], resourceNames: ['a'] }] }, /grants\[0\]\.verbs contains escalate.*exceptions\.escalationVerbs/],
    ['bind', { grants: [{ apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', verbs: ['bind'], resourceNames: ['a'] }] }, /grants\[0\]\.verbs contains bind/],
    ['impersonate', { grants: [{ resource: 'serviceaccounts', verbs: ['impersonate'], resourceNames: ['a'] }] }, /grants\[0\]\.verbs contains impersonate/],
    ['token minting', { grants: [{ resource: 'serviceaccounts/token', verbs: ['create'] }] }, /grants\[0\] grants create on serviceaccounts\/token, which mints tokens.*exceptions\.tokenRequest/],
    ['ephemeral containers', { grants: [{ resource: 'pods/ephemeralcontainers', verbs: ['patch'], resourceNames: ['a'] }] }, /exceptions\.ephemeralContainers/],
    ['port-forward', { grants: [{ resource: 'pods/portforward', verbs: ['create'] }] }, /tunnels to pod ports.*exceptions\.portForward/],
    ['rewriting a deployment', { grants: [{ apiGroup: 'apps', resource: 'deployments', verbs: ['patch'], resourceNames: ['web'] }] }, /grants\[0\] grants patch on deployments.*exceptions\.workloadRewrite/],
    ['writing service status', { grants: [{ resource: 'services/status', verbs: ['update'], resourceNames: ['web'] }] }, /CVE-2020-8554.*exceptions\.serviceStatus/],
    ['a capitalised resource', { grants: [{ resource: 'Secrets', verbs: ['get'], resourceNames: ['a'] }] }, /grants\[0\]\.resource is "Secrets", which grants nothing: use "secrets" \(resources are lowercase plurals\)/],
    ['an upper-case verb', { grants: [{ resource: 'configmaps', verbs: ['GET'], resourceNames: ['a'] }] }, /grants\[0\]\.verbs\[0\] is "GET", which is not a Kubernetes verb and grants nothing: use "get"/],
    ['an unknown verb', { grants: [{ resource: 'configmaps', verbs: ['read'], resourceNames: ['a'] }] }, /grants\[0\]\.verbs\[0\] is "read", which is not a Kubernetes verb/],
    ['a resource in the wrong group', { grants: [{ resource: 'deployments', verbs: ['get'], resourceNames: ['a'] }] }, /grants\[0\]\.resource is "deployments", which the core group \(""\) does not serve, so it grants nothing: deployments is served by group "apps"/],
    ['an unknown subresource', { grants: [{ resource: 'pods/logs', verbs: ['get'], resourceNames: ['a'] }] }, /grants\[0\]\.resource is "pods\/logs", which grants nothing: pods has the subresources .*log/],
    ['a cluster-scoped resource', { grants: [{ resource: 'nodes/proxy', verbs: ['get'], resourceNames: ['a'] }] }, /grants\[0\]\.resource is "nodes\/proxy", which is cluster-scoped: a namespaced Role cannot grant it/],
    ['a capitalised group', { grants: [{ apiGroup: 'Apps', resource: 'deployments', verbs: ['get'], resourceNames: ['a'] }] }, /grants\[0\]\.apiGroup is "Apps", which matches no API group: use "apps"/],
    ['a made-up group', { grants: [{ apiGroup: 'core', resource: 'configmaps', verbs: ['get'], resourceNames: ['a'] }] }, /grants\[0\]\.apiGroup is "core", which is not an API group: configmaps is served by the core group/],
    ['secret reads', { grants: [{ resource: 'secrets', verbs: ['list'] }] }, /grants\[0\] reads secrets.*exceptions\.readSecrets/],
    ['pod creation', { grants: [{ resource: 'pods', verbs: ['create'] }] }, /grants\[0\] creates pods.*exceptions\.createPods/],
    ['exec', { grants: [{ resource: 'pods/exec', verbs: ['create'] }] }, /grants\[0\] grants pods\/exec.*exceptions\.podsExec/],
    ['missing resourceNames', { grants: [{ resource: 'configmaps', verbs: ['get'] }] }, /grants\[0\]\.resourceNames is empty: name the objects the grant covers/],
    ['no verbs', { grants: [{ resource: 'configmaps', verbs: [], resourceNames: ['a'] }] }, /grants\[0\]\.verbs is \[\]: list the verbs explicitly/],
    ['an exception without reason', { grants: [{ resource: 'secrets', verbs: ['get'], resourceNames: ['a'] }], exceptions: { readSecrets: { reason: '' } } }, /exceptions\.readSecrets\.reason is "": an exception needs a reason/],
    ['a long-lived token', { projectedToken: { audience: 'vault', expirationSeconds: 7200 } }, /projectedToken\.expirationSeconds is 7200: use a whole number of seconds from 600 \(the API minimum\) to 3600 \(one hour\)/],
    ['a too short token', { projectedToken: { audience: 'vault', expirationSeconds: 60 } }, /projectedToken\.expirationSeconds is 60/],
    ['an empty audience', { projectedToken: { audience: '' } }, /projectedToken\.audience is "": name the API that validates the token/],
  ])('throws on %s', (_case, props, message) => {
    expect(() => synth(props as MinimalServiceAccountProps)).toThrow(message);
  });

  test.each([
    ['eks', () => WorkloadIdentity.eks({ roleArn: 'my-role' }), /roleArn is "my-role": use an IAM role ARN/],
    ['eks expiry', () => WorkloadIdentity.eks({ roleArn: 'arn:aws:iam::123456789012:role/a', tokenExpirationSeconds: 86400 }), /tokenExpirationSeconds is 86400/],
    ['gke', () => WorkloadIdentity.gke({ serviceAccountEmail: 'someone@gmail.com' }), /serviceAccountEmail is "someone@gmail.com": use a Google service account email/],
    ['azure', () => WorkloadIdentity.azure({ clientId: 'abc' }), /clientId is "abc": use the managed identity's client id, a UUID/],
  ])('throws on a malformed %s identity', (_provider, build, message) => {
    expect(build).toThrow(message);
  });
});
