import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HardenedStatefulSet, HardenedStatefulSetProps } from '../../src';
import { appWithNamespaces, TEST_NAMESPACE } from '../support/hardened-app';
import { validateAgainstSchema } from '../support/schema';
import { IMAGE } from '../support/workload-kinds';

function synth(props: Partial<HardenedStatefulSetProps> = {}) {
  const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
  const db = new HardenedStatefulSet(chart, 'db', { containers: [{ image: IMAGE, portNumber: 5432 }], ...props });
  const objects = Testing.synth(chart);
  validateAgainstSchema(objects);
  return { db, objects, statefulSet: objects.find((o: any) => o.kind === 'StatefulSet'), service: objects.find((o: any) => o.kind === 'Service') };
}

describe('HardenedStatefulSet |', () => {
  test('defaults: one replica, OnRootMismatch, a headless Service on the stable labels', () => {
    const { statefulSet, service } = synth();
    expect(statefulSet.spec.replicas).toBe(1);
    expect(statefulSet.spec.serviceName).toBe('db');
    expect(statefulSet.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'db' } });
    expect(statefulSet.spec.template.spec.securityContext.fsGroupChangePolicy).toBe('OnRootMismatch');
    expect(statefulSet.spec.volumeClaimTemplates).toBeUndefined();
    expect(service.metadata.name).toBe('db');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'db' });
    expect(service.spec.ports).toEqual([{ name: 'port-5432', port: 5432, targetPort: 5432 }]);
  });

  test('volume claims: typed size, storage class and access modes, mounted in every container', () => {
    const { statefulSet, objects } = synth({
      volumeClaims: [
        { name: 'data', mountPath: '/var/lib/postgresql/data', storage: Size.gibibytes(20), storageClassName: 'encrypted-ssd' },
        { name: 'wal', mountPath: '/var/lib/postgresql/wal', storage: Size.mebibytes(512), accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD] },
      ],
      initContainers: [{ name: 'init-db', image: IMAGE }],
    });
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'encrypted-ssd', resources: { requests: { storage: '20Gi' } } } },
      { metadata: { name: 'wal' }, spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '512Mi' } } } },
    ]);
    const pod = statefulSet.spec.template.spec;
    // the claims are the volumes; the pod lists only /tmp.
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['writable-tmp']);
    for (const container of [...pod.containers, ...pod.initContainers]) {
      expect(container.volumeMounts).toEqual(expect.arrayContaining([
        { mountPath: '/var/lib/postgresql/data', name: 'data' },
        { mountPath: '/var/lib/postgresql/wal', name: 'wal' },
      ]));
    }
    expect(objects).toMatchSnapshot();
  });

  test('containers added later get the claims too', () => {
    const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
    const db = new HardenedStatefulSet(chart, 'db', { containers: [{ image: IMAGE, portNumber: 5432 }], volumeClaims: [{ name: 'data', mountPath: '/data' }] });
    db.addContainer({ name: 'backup', image: IMAGE });
    const pod = Testing.synth(chart).find((o: any) => o.kind === 'StatefulSet').spec.template.spec;
    expect(pod.containers[1].volumeMounts).toContainEqual({ mountPath: '/data', name: 'data' });
  });

  test('explicit service ports and replicas', () => {
    const { statefulSet, service } = synth({ replicas: 3, servicePorts: [{ name: 'pg', port: 5432, targetPort: 5432 }] });
    expect(statefulSet.spec.replicas).toBe(3);
    expect(service.spec.ports).toEqual([{ name: 'pg', port: 5432, targetPort: 5432 }]);
  });

  test.each([
    ['no port', { containers: [{ image: IMAGE }] }, /servicePorts is empty and no container sets portNumber: the headless Service needs a port/],
    ['a claim without a name', { volumeClaims: [{ name: 'Data', mountPath: '/data' }] }, /volumeClaims\[0\]\.name is "Data": use a DNS-1123 label/],
    ['a duplicate claim', { volumeClaims: [{ name: 'data', mountPath: '/a' }, { name: 'data', mountPath: '/b' }] }, /volumeClaims\[1\]\.name is "data" again/],
    ['a relative mount path', { volumeClaims: [{ name: 'data', mountPath: 'data' }] }, /volumeClaims\[0\]\.mountPath is "data": use an absolute directory/],
    ['a zero size', { volumeClaims: [{ name: 'data', mountPath: '/data', storage: Size.mebibytes(0) }] }, /volumeClaims\[0\]\.storage is 0Mi: request a positive size/],
    ['no access modes', { volumeClaims: [{ name: 'data', mountPath: '/data', accessModes: [] }] }, /volumeClaims\[0\]\.accessModes is empty/],
    ['negative replicas', { replicas: -1 }, /replicas is -1/],
  ])('fails on %s', (_case, props, message) => {
    expect(() => synth(props as Partial<HardenedStatefulSetProps>)).toThrow(message);
  });
});
