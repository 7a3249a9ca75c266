/**
 * The twins of the single-object rules beyond pods (Ingress TLS and snippets, hostPath storage,
 * NetworkPolicy egress to every pod):
 * corners the checker fixtures do not reach, each with the checker's verdict asserted directly and
 * the twin giving the same one, raw and API-defaulted, without evaluation errors.
 */
import { checkerFails, policiesOf, shaped, SHAPES, twinDecision } from './agreement';
import { ManifestIndex } from '../../src/checker/context';
import { ruleById } from '../../src/checker/rules';
import type { KubeObject } from '../../src/checker/types';

const ingress = (spec: Record<string, unknown>, annotations?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'corner', namespace: 'app', ...(annotations ? { annotations } : {}) },
  spec,
});

const persistentVolume = (source: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'corner' },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...source },
});

const localVolume = (path: unknown) => persistentVolume({ local: { path } });

const storageClass = (provisioner: unknown): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'corner' },
  provisioner,
});

const networkPolicy = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'corner', namespace: 'app' },
  spec: { podSelector: {}, ...spec },
});

const egressTo = (peer: Record<string, unknown>, policyTypes: unknown = ['Egress']) => networkPolicy({ policyTypes, egress: [{ to: [peer] }] });
const EVERY_NAMESPACE = { namespaceSelector: {} };

const CASES: [string, string, KubeObject, 'pass' | 'fail'][] = [
  ['ingress-tls-missing', 'tls: [] is no TLS', ingress({ tls: [], rules: [{ host: 'shop.example.com' }] }), 'fail'],
  ['ingress-tls-missing', 'tls entries that are not mappings are no TLS', ingress({ tls: ['shop.example.com'], rules: [{ host: 'shop.example.com' }] }), 'fail'],
  ['ingress-tls-missing', 'a tls entry without hosts covers the default server', ingress({ tls: [{ secretName: 'default-tls' }], rules: [{ host: 'shop.example.com' }] }), 'pass'],
  ['ingress-tls-missing', 'a tls entry with hosts: [] covers the default server', ingress({ tls: [{ hosts: [], secretName: 'default-tls' }], rules: [{ host: 'shop.example.com' }] }), 'pass'],
  ['ingress-tls-missing', 'a wildcard covers one label only', ingress({ tls: [{ hosts: ['*.example.com'] }], rules: [{ host: 'a.b.example.com' }] }), 'fail'],
  ['ingress-tls-missing', 'a wildcard does not cover its bare domain', ingress({ tls: [{ hosts: ['*.example.com'] }], rules: [{ host: 'example.com' }] }), 'fail'],
  ['ingress-tls-missing', 'a wildcard covers a one-label host', ingress({ tls: [{ hosts: ['*.example.com'] }], rules: [{ host: 'shop.example.com' }] }), 'pass'],
  ['ingress-tls-missing', 'a rule without host needs only some tls', ingress({ tls: [{ hosts: ['shop.example.com'] }], rules: [{ http: { paths: [] } }] }), 'pass'],
  ['ingress-tls-missing', 'hosts split over two tls entries', ingress({ tls: [{ hosts: ['shop.example.com'] }, { hosts: ['api.example.com'] }], rules: [{ host: 'api.example.com' }, { host: 'shop.example.com' }] }), 'pass'],
  ['ingress-tls-missing', 'no spec at all', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'corner', namespace: 'app' } }, 'fail'],
  ['ingress-nginx-snippet', 'configuration-snippet', ingress({}, { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: y";' }), 'fail'],
  ['ingress-nginx-snippet', 'a custom --annotations-prefix naming ingress', ingress({}, { 'custom.ingress.example.com/server-snippet': 'location / {}' }), 'fail'],
  ['ingress-nginx-snippet', 'NGINX Inc. -snippets', ingress({}, { 'nginx.org/location-snippets': 'add_header X y;' }), 'fail'],
  ['ingress-nginx-snippet', 'a snippet-like key of another controller', ingress({}, { 'traefik.example.com/server-snippet': 'x' }), 'pass'],
  ['ingress-nginx-snippet', 'a snippet key without a prefix', ingress({}, { 'server-snippet': 'x' }), 'pass'],
  ['ingress-nginx-snippet', 'a snippet name with a digit is not one the controllers read', ingress({}, { 'nginx.ingress.kubernetes.io/server2-snippet': 'x' }), 'pass'],
  ['ingress-nginx-snippet', 'dedicated annotations', ingress({}, { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' }), 'pass'],
  ['pv-host-path', 'hostPath on a dedicated directory still mounts the node', persistentVolume({ hostPath: { path: '/srv/data' } }), 'fail'],
  ['pv-host-path', 'local on a system tree with a trailing slash', localVolume('/var/lib/kubelet/'), 'fail'],
  ['pv-host-path', 'local on a system tree through ./ and //', localVolume('/var//./log/pods'), 'fail'],
  ['pv-host-path', 'local on a relative system path', localVolume('etc'), 'fail'],
  ['pv-host-path', 'local on the root spelled /./', localVolume('/./'), 'fail'],
  ['pv-host-path', 'local on an empty path (the root)', localVolume(''), 'fail'],
  ['pv-host-path', 'local on a top-level system directory', localVolume('/usr'), 'fail'],
  ['pv-host-path', 'local inside /usr, a root but not a tree', localVolume('/usr/share/data'), 'pass'],
  ['pv-host-path', 'local on a sibling of a system tree', localVolume('/var/lib/kubelet-data'), 'pass'],
  ['pv-host-path', 'local on a dedicated disk', localVolume('/mnt/disks/ssd1'), 'pass'],
  ['pv-host-path', 'local with a non-string path', localVolume(42), 'pass'],
  ['pv-host-path', 'StorageClass with the rancher local-path provisioner', storageClass('rancher.io/local-path'), 'fail'],
  ['pv-host-path', 'StorageClass with a CSI provisioner', storageClass('ebs.csi.aws.com'), 'pass'],
  ['pv-host-path', 'StorageClass with a non-string provisioner', storageClass(['kubernetes.io/host-path']), 'pass'],
  ['netpol-egress-all-pods', 'namespaceSelector: {} without podSelector', egressTo(EVERY_NAMESPACE), 'fail'],
  ['netpol-egress-all-pods', 'namespaceSelector: {} with podSelector: null', egressTo({ namespaceSelector: {}, podSelector: null }), 'fail'],
  ['netpol-egress-all-pods', 'namespaceSelector: {} with podSelector: {}', egressTo({ namespaceSelector: {}, podSelector: {} }), 'fail'],
  ['netpol-egress-all-pods', 'empty matchLabels and matchExpressions', egressTo({ namespaceSelector: { matchLabels: {}, matchExpressions: [] } }), 'fail'],
  ['netpol-egress-all-pods', 'a podSelector that only excludes', egressTo({ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] } }), 'fail'],
  ['netpol-egress-all-pods', 'namespaces with a name label (every one has it)', egressTo({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'Exists' }] } }), 'fail'],
  ['netpol-egress-all-pods', 'namespaces without a label', egressTo({ namespaceSelector: { matchExpressions: [{ key: 'restricted', operator: 'DoesNotExist' }] } }), 'fail'],
  ['netpol-egress-all-pods', 'egress rules isolate egress when policyTypes is unset', networkPolicy({ egress: [{ to: [EVERY_NAMESPACE] }] }), 'fail'],
  ['netpol-egress-all-pods', 'egress rules isolate egress when policyTypes is empty', egressTo(EVERY_NAMESPACE, []), 'fail'],
  ['netpol-egress-all-pods', 'the second peer of a rule', networkPolicy({ policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }, EVERY_NAMESPACE] }] }), 'fail'],
  ['netpol-egress-all-pods', 'an Ingress-only policy does not enforce its egress rules', egressTo(EVERY_NAMESPACE, ['Ingress']), 'pass'],
  ['netpol-egress-all-pods', 'a podSelector that names pods', egressTo({ namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } }), 'pass'],
  ['netpol-egress-all-pods', 'a namespaceSelector with a matchLabels entry', egressTo({ namespaceSelector: { matchLabels: { team: 'shop' }, matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] } }), 'pass'],
  ['netpol-egress-all-pods', 'an In expression narrows', egressTo({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['shop'] }] } }), 'pass'],
  ['netpol-egress-all-pods', 'Exists on another key narrows', egressTo({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }), 'pass'],
  ['netpol-egress-all-pods', 'a podSelector alone stays in the namespace', egressTo({ podSelector: {} }), 'pass'],
  ['netpol-egress-all-pods', 'a non-list to is not a peer list', networkPolicy({ policyTypes: ['Egress'], egress: [{ to: EVERY_NAMESPACE }] }), 'pass'],
];

const hardened = policiesOf('hardened');

describe.each(CASES)('%s: %s', (ruleId, _name, object, verdict) => {
  test.each(SHAPES)('%s: the checker gives the expected verdict and the twin the same one', (shape) => {
    const rule = ruleById(ruleId)!;
    const policy = hardened.get(ruleId);
    expect(policy).toBeDefined();
    const inShape = shaped(object, shape);
    const decision = twinDecision(rule, policy!, inShape);
    expect(decision).toBeDefined();
    expect(decision!.errors).toEqual([]);
    expect(checkerFails(rule, inShape, new ManifestIndex([inShape]))).toBe(verdict === 'fail');
    expect(decision!.admitted).toBe(verdict === 'pass');
  });
});

test('the snippet twin leaves the controller ConfigMap to the pre-merge check (documented partial twin)', () => {
  const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, data: { 'allow-snippet-annotations': 'true' } };
  const rule = ruleById('ingress-nginx-snippet')!;
  expect(checkerFails(rule, configMap, new ManifestIndex([configMap]))).toBe(true);
  expect(twinDecision(rule, hardened.get('ingress-nginx-snippet')!, configMap)).toBeUndefined();
});
