import { AuditPolicy } from '../../src/cluster-config';
import { AUDIT_REQUIRED_REQUESTS, AUDIT_SENSITIVE_REQUESTS, auditLevelAtMost, auditLevelOf } from '../../src/model/audit-policy-evaluation';

describe('AuditPolicy |', () => {
  const { policy } = new AuditPolicy();

  test('defaults', () => {
    expect(new AuditPolicy().toYaml()).toMatchSnapshot();
  });

  test('omits RequestReceived and ends with a Metadata catch-all', () => {
    expect(policy.apiVersion).toBe('audit.k8s.io/v1');
    expect(policy.omitStages).toEqual(['RequestReceived']);
    const rules = policy.rules as Record<string, unknown>[];
    expect(rules[rules.length - 1]).toEqual({ level: 'Metadata' });
  });

  test('never records bodies of Secrets, ConfigMaps, TokenReviews or issued tokens', () => {
    for (const request of AUDIT_SENSITIVE_REQUESTS) {
      const level = auditLevelOf(policy, request);
      expect([request.resource, level]).toEqual([request.resource, request.resource === 'serviceaccounts/token' ? 'Request' : 'Metadata']);
    }
  });

  test('records RBAC changes and pods/exec|attach|portforward with their bodies, everything else as metadata', () => {
    for (const request of AUDIT_REQUIRED_REQUESTS) expect(auditLevelAtMost('Metadata', auditLevelOf(policy, request))).toBe(true);
    expect(auditLevelOf(policy, { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' })).toBe('RequestResponse');
    expect(auditLevelOf(policy, { verb: 'get', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'x' })).toBe('Metadata');
    for (const resource of ['pods/exec', 'pods/attach', 'pods/portforward']) {
      expect(auditLevelOf(policy, { verb: 'create', group: '', resource, namespace: 'default', name: 'p' })).toBe('RequestResponse');
    }
    expect(auditLevelOf(policy, { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'default', name: 'x' })).toBe('Metadata');
  });

  test('drops health checks and system watch noise', () => {
    for (const path of ['/healthz', '/livez?verbose', '/readyz/etcd', '/version']) expect(auditLevelOf(policy, { verb: 'get', path })).toBe('None');
    expect(auditLevelOf(policy, { verb: 'get', path: '/apis' })).toBe('Metadata');
    expect(auditLevelOf(policy, { user: 'system:kube-proxy', verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices' })).toBe('None');
    expect(auditLevelOf(policy, { user: 'system:kube-proxy', verb: 'watch', group: '', resource: 'secrets' })).toBe('Metadata');
  });

  test('writes log flags at the CIS minimums and a webhook backend when asked', () => {
    expect(new AuditPolicy().apiServerFlags()).toEqual({
      'audit-log-format': 'json',
      'audit-log-maxage': '30',
      'audit-log-maxbackup': '10',
      'audit-log-maxsize': '100',
      'audit-log-path': '/var/log/kubernetes/audit/audit.log',
      'audit-policy-file': '/etc/kubernetes/audit/audit-policy.yaml',
    });
    const webhook = new AuditPolicy({ webhook: { configFile: '/etc/kubernetes/audit/webhook.kubeconfig' }, logMaxAgeDays: 90 }).apiServerFlags();
    expect(webhook['audit-webhook-mode']).toBe('batch');
    expect(webhook['audit-log-maxage']).toBe('90');
  });

  test('fails on retention below the CIS minimums or a relative webhook path', () => {
    expect(() => new AuditPolicy({ logMaxAgeDays: 7 })).toThrow(/logMaxAgeDays is 7: give a whole number of at least 30/);
    expect(() => new AuditPolicy({ logMaxBackups: 2 })).toThrow(/logMaxBackups is 2/);
    expect(() => new AuditPolicy({ webhook: { configFile: 'webhook.yaml' } })).toThrow(/absolute path/);
  });
});
