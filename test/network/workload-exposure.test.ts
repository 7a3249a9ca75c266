import { Chart, Testing } from 'cdk8s';
import { checkManifests } from '../../src/checker';
import { Labels } from '../../src/model/labels';
import { LoadBalancerTls, WorkloadExposure, WorkloadExposureProps } from '../../src/network';
import { FlowEndpointDouble } from '../support/flow-endpoint-double';

const REASON = 'public storefront, reviewed in the exposure register';

function setup() {
  const chart = new Chart(Testing.app(), 'test');
  const web = new FlowEndpointDouble(chart, 'Web', { appName: 'web', namespaceName: 'shop' });
  return { chart, web };
}

function synth(props: Omit<WorkloadExposureProps, 'to'>) {
  const { chart, web } = setup();
  const exposure = new WorkloadExposure(chart, 'Exposure', { to: web, ...props });
  const objects = Testing.synth(chart);
  return { exposure, objects, byKind: (kind: string) => objects.filter((o) => o.kind === kind) };
}

const INGRESS = { host: 'shop.example.com', tlsSecretName: 'shop-tls', ingressClassName: 'nginx', controllerNamespace: 'ingress-nginx' };

describe('WorkloadExposure | ingress', () => {
  test('an Ingress with TLS, its ClusterIP Service and the flow from the controller namespace', () => {
    const { objects, byKind } = synth({ targetPort: 8443, reason: { reason: REASON }, ingress: INGRESS });
    expect(objects).toMatchSnapshot();
    const [ingress] = byKind('Ingress');
    expect(ingress.metadata).toMatchObject({ name: 'web-public', namespace: 'shop', annotations: { 'security.cdk8s-hardened.io/exposure-reason': REASON } });
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web-public', port: { number: 8443 } } });
    const [service] = byKind('Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual({ [Labels.NAME]: 'web' });
    const [policy] = byKind('NetworkPolicy');
    expect(policy.metadata).toEqual({ name: 'ingress-web-from-ns-ingress-nginx', namespace: 'shop' });
    expect(policy.spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { [Labels.NAMESPACE_NAME]: 'ingress-nginx' } },
        podSelector: { matchExpressions: [{ key: Labels.QUARANTINE, operator: 'DoesNotExist' }] },
      }],
      ports: [{ port: 8443, protocol: 'TCP' }],
    }]);
  });

  test('the checker finds nothing in an ingress exposure', () => {
    const { objects } = synth({ targetPort: 8443, reason: { reason: REASON }, ingress: { ...INGRESS, controllerPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } });
    expect(checkManifests(objects.map((object) => ({ object, source: {} }))).findings).toEqual([]);
  });
});

describe('WorkloadExposure | load balancer', () => {
  test('source ranges, no node ports, client addresses kept, and the paired policy', () => {
    const { objects, byKind } = synth({
      targetPort: 8443,
      reason: { reason: REASON },
      loadBalancer: { port: 443, tls: LoadBalancerTls.WORKLOAD, sourceRanges: ['203.0.113.0/24', '2001:db8::/32'] },
    });
    expect(objects).toMatchSnapshot();
    const [service] = byKind('Service');
    expect(service.spec).toMatchObject({
      type: 'LoadBalancer',
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: 'Local',
      selector: { [Labels.NAME]: 'web' },
    });
    expect(service.metadata.annotations).toEqual({
      'security.cdk8s-hardened.io/exposure-reason': REASON,
      'ignore-check.cdk8s-hardened.io/service-load-balancer': REASON,
    });
    const [policy] = byKind('NetworkPolicy');
    expect(policy.spec.ingress.map((rule: any) => rule.from)).toEqual([[{ ipBlock: { cidr: '203.0.113.0/24' } }], [{ ipBlock: { cidr: '2001:db8::/32' } }]]);
    for (const rule of policy.spec.ingress) expect(rule.ports).toEqual([{ port: 8443, protocol: 'TCP' }]);
  });

  test('the internet as a source takes its own reason, written as a suppression on the policy', () => {
    const internetReason = 'public API, rate limited at the edge';
    const { objects, byKind } = synth({
      targetPort: 8443,
      reason: { reason: REASON },
      loadBalancer: { port: 443, tls: LoadBalancerTls.LOAD_BALANCER, annotations: { 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, internetWide: { reason: internetReason } },
    });
    expect(byKind('Service')[0].spec.loadBalancerSourceRanges).toEqual(['0.0.0.0/0', '::/0']);
    expect(byKind('NetworkPolicy')[0].metadata.annotations['ignore-check.cdk8s-hardened.io/netpol-ingress-from-anywhere']).toBe(internetReason);
    const report = checkManifests(objects.map((object) => ({ object, source: {} })));
    expect(report.findings.filter((finding) => !finding.suppressed)).toEqual([]);
    expect([...new Set(report.findings.map((finding) => `${finding.ruleId} ${finding.reason}`))].sort()).toEqual([
      `netpol-ingress-from-anywhere ${internetReason}`,
      `service-load-balancer ${REASON}`,
    ]);
  });
});

describe('WorkloadExposure | validation', () => {
  test.each([
    ['no reason', { targetPort: 8443, reason: { reason: 'because' }, ingress: INGRESS }, /reason\.reason is "because": an exception needs a reason of at least 10 characters/],
    ['neither route', { targetPort: 8443, reason: { reason: REASON } }, 'ingress and loadBalancer are both unset: an exposure goes through exactly one of them'],
    ['both routes', { targetPort: 8443, reason: { reason: REASON }, ingress: INGRESS, loadBalancer: { port: 443, tls: LoadBalancerTls.WORKLOAD, sourceRanges: ['203.0.113.0/24'] } }, /both set/],
    ['a bad port', { targetPort: 0, reason: { reason: REASON }, ingress: INGRESS }, 'targetPort is 0: use a TCP port from 1 to 65535'],
    ['a bad host', { targetPort: 8443, reason: { reason: REASON }, ingress: { ...INGRESS, host: 'Shop.Example.com' } }, /ingress\.host is "Shop.Example.com": use a lowercase DNS name/],
    ['no TLS secret', { targetPort: 8443, reason: { reason: REASON }, ingress: { ...INGRESS, tlsSecretName: '' } }, /ingress\.tlsSecretName/],
    ['the internet without its reason', { targetPort: 8443, reason: { reason: REASON }, loadBalancer: { port: 443, tls: LoadBalancerTls.WORKLOAD } }, 'loadBalancer.sourceRanges is unset, which means every address: list the client ranges, or add loadBalancer.internetWide with a reason'],
    ['0.0.0.0/0 without its reason', { targetPort: 8443, reason: { reason: REASON }, loadBalancer: { port: 443, tls: LoadBalancerTls.WORKLOAD, sourceRanges: ['0.0.0.0/0'] } }, /loadBalancer\.sourceRanges contains 0\.0\.0\.0\/0/],
    ['a malformed range', { targetPort: 8443, reason: { reason: REASON }, loadBalancer: { port: 443, tls: LoadBalancerTls.WORKLOAD, sourceRanges: ['203.0.113.1/24'] } }, /loadBalancer\.sourceRanges\[0\] is "203.0.113.1\/24", which has host bits set/],
    ['TLS at the load balancer without its annotations', { targetPort: 8443, reason: { reason: REASON }, loadBalancer: { port: 443, tls: LoadBalancerTls.LOAD_BALANCER, sourceRanges: ['203.0.113.0/24'] } }, /loadBalancer\.annotations is empty/],
  ])('throws on %s', (_case, props, message) => {
    expect(() => synth(props as Omit<WorkloadExposureProps, 'to'>)).toThrow(message);
  });

  test('throws on a workload without a namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = new FlowEndpointDouble(chart, 'Web', { appName: 'web' });
    expect(() => new WorkloadExposure(chart, 'E', { to: web, targetPort: 8443, reason: { reason: REASON }, ingress: INGRESS }))
      .toThrow(/to \(web\) has no namespace/);
  });
});
