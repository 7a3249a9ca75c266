import { ApiObject, Testing } from 'cdk8s';
import '../../src/checker/jest-setup';
import { privilegedPod, restrictedPod } from './manifests';

test('passes a chart without findings and fails one with findings, listing them with construct paths', () => {
  const chart = Testing.chart();
  new ApiObject(chart, 'web', { apiVersion: 'v1', kind: 'Pod', ...restrictedPod('web', null) });
  expect(chart).toPassPack('pss-restricted');
  new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'Pod', ...privilegedPod('bad', null) });
  expect(chart).not.toPassPack('pss-baseline');
  expect(() => expect(chart).toPassPack('pss-baseline')).toThrow(
    /expected no unsuppressed finding at or above error in pack pss-baseline, found 1:\n {2}- error pss-privileged: Pod bad at test\/bad: container "app" sets privileged: true/,
  );
});

test('accepts arrays of manifests, such as Testing.synth output', () => {
  expect([restrictedPod()]).toPassPack('pss-restricted');
  expect([privilegedPod()]).not.toPassPack('pss-baseline');
  expect([{ object: privilegedPod(), source: { file: 'x.yaml' } }]).not.toPassPack('pss-baseline');
  expect(() => expect([restrictedPod()]).not.toPassPack('pss-restricted')).toThrow(/expected a finding at or above error in pack pss-restricted, but 1 object\(s\) passed/);
});

test('failOn warning fails on warnings; a non-manifest value fails with a clear message', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort' } };
  expect([service]).toPassPack('hardened');
  expect([service]).not.toPassPack('hardened', { failOn: 'warning' });
  expect(() => expect('nope').toPassPack()).toThrow(/toPassPack expects an App, a Chart \(any construct\) or an array of manifests/);
});
