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
    ['impersonate', { grants: [{ resource: 'users', verbs: ['impersonate'], resourceNames: ['a'] }] }, /grants\[0\]\.verbs contains impersonate/],
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
