import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedWorkload, HardenedWorkloadExceptions, HardenedWorkloadProps, volumeNameOf } from './hardened-workload';
import { PATH_LABEL } from './workload-self-check';
import { validateDnsLabel } from '../construct-helpers/names';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { SecurityDefaults } from '../model/security-defaults';

/** a persistent volume each StatefulSet pod gets its own copy of, mounted in every container. */
export interface VolumeClaim {
  /** the claim template's name (and the volume's); a DNS-1123 label. */
  readonly name: string;
  /** where every container mounts it: an absolute directory. */
  readonly mountPath: string;
  /**
   * The requested size.
   *
   * @default Size.gibibytes(1)
   */
  readonly storage?: Size;
  /**
   * The StorageClass; name one with encryption at rest and the reclaim policy the data needs.
   *
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * How the volume may be mounted.
   *
   * @default [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
}

/** reasoned exceptions to a `HardenedStatefulSet`'s secure defaults (the shared workload exceptions). */
export interface HardenedStatefulSetExceptions extends HardenedWorkloadExceptions {}

/** props of `HardenedStatefulSet`. */
export interface HardenedStatefulSetProps extends HardenedWorkloadProps {
  /**
   * Number of pods.
   *
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Persistent volumes, one per pod, each a `volumeClaimTemplates` entry.
   *
   * @default - none
   */
  readonly volumeClaims?: VolumeClaim[];
  /**
   * Ports of the headless Service that gives each pod its DNS name.
   *
   * @default - one port per container `portNumber`
   */
  readonly servicePorts?: kplus.ServicePort[];
  /**
   * Reasoned exceptions to the secure defaults.
   *
   * @default - none: the pods pass Pod Security `restricted`
   */
  readonly exceptions?: HardenedStatefulSetExceptions;
}

/**
 * A StatefulSet on the hardened pod core, for databases and other stateful systems: typed
 * volume claims, a headless Service that selects the pods by their stable labels, and
 * `fsGroupChangePolicy: OnRootMismatch`, so a large volume is not re-chowned on every start.
 */
export class HardenedStatefulSet extends HardenedWorkload {
  /** the underlying cdk8s-plus StatefulSet. */
  declare public readonly resource: kplus.StatefulSet;
  /** the headless Service (`clusterIP: None`) named like the StatefulSet. */
  public readonly headlessService: kplus.Service;

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    const replicas = props?.replicas ?? SecurityDefaults.STATEFUL_SET_REPLICAS;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new Error(`replicas is ${replicas}: use a whole number of pods, 0 or more`);
    }
    const claims = validateClaims(props?.volumeClaims ?? []);
    const servicePorts = props?.servicePorts ?? portsOf(props?.containers ?? []);
    if (servicePorts.length === 0) {
      throw new Error('servicePorts is empty and no container sets portNumber: the headless Service needs a port; set portNumber on a container or list servicePorts');
    }
    let headless: kplus.Service | undefined;
    super(scope, id, props, {
      kind: 'StatefulSet',
      podTemplatePath: '/spec/template',
      fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      create: (self, settings) => {
        const name = String(settings.metadata.name);
        const labels = settings.metadata.labels ?? {};
        const selectorLabels = Object.fromEntries(Object.entries(labels).filter(([key]) => key === Labels.NAME || key === Labels.COMPONENT));
        headless = new kplus.Service(self, 'Service', {
          metadata: { name, namespace: settings.metadata.namespace, labels: { ...selectorLabels, [Labels.MANAGED_BY]: MANAGED_BY_VALUE } },
          clusterIP: 'None',
          selector: kplus.Pods.select(self, 'ServiceSelector', { labels: selectorLabels }),
          ports: servicePorts,
        });
        const statefulSet = new kplus.StatefulSet(self, 'Resource', { ...settings, replicas, service: headless });
        // cdk8s-plus adds the StatefulSet's construct-path label to the Service's selector; the
        // pods do not carry it, so the Service selects by the stable labels alone.
        delete (headless as unknown as { _selector: Record<string, string> })._selector[PATH_LABEL];
        addVolumeClaimTemplates(statefulSet, claims);
        return statefulSet;
      },
    });
    this.headlessService = headless!;
    for (const claim of claims) {
      // a stand-in volume carries the mount; the pod-level entry is replaced by the claim template.
      this.addSharedMount({ path: claim.mountPath, volume: claimVolume(this, claim.name) });
    }
    // mounts are shared by containers added from now on; the constructor's containers were added already.
    for (const container of [...this.resource.containers, ...this.resource.initContainers]) {
      for (const claim of claims) container.mount(claim.mountPath, claimVolume(this, claim.name));
    }
  }
}

interface ValidClaim {
  readonly name: string;
  readonly mountPath: string;
  readonly template: kplus.k8s.KubePersistentVolumeClaimProps;
}

function validateClaims(claims: VolumeClaim[]): ValidClaim[] {
  const names = new Set<string>();
  return claims.map((claim, index) => {
    const prop = `volumeClaims[${index}]`;
    const name = validateDnsLabel(`${prop}.name`, claim?.name);
    if (names.has(name)) throw new Error(`${prop}.name is "${name}" again: give each claim its own name`);
    names.add(name);
    const path = claim.mountPath;
    if (typeof path !== 'string' || !path.startsWith('/') || path === '/' || path.includes('..')) {
      throw new Error(`${prop}.mountPath is ${JSON.stringify(path)}: use an absolute directory below the root, e.g. "/var/lib/postgresql/data"`);
    }
    const storage = claim.storage ?? Size.gibibytes(SecurityDefaults.VOLUME_CLAIM_SIZE_GIB);
    if (storage.toMebibytes() <= 0) throw new Error(`${prop}.storage is ${storage.toMebibytes()}Mi: request a positive size`);
    if (claim.storageClassName !== undefined) validateDnsLabel(`${prop}.storageClassName`, claim.storageClassName);
    const accessModes = claim.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE];
    if (accessModes.length === 0) throw new Error(`${prop}.accessModes is empty: leave it out for ReadWriteOnce, or name at least one`);
    return {
      name,
      mountPath: path,
      template: {
        metadata: { name },
        spec: {
          accessModes: [...accessModes],
          storageClassName: claim.storageClassName,
          resources: { requests: { storage: kplus.k8s.Quantity.fromString(quantityOf(storage)) } },
        },
      },
    };
  });
}

/**
 * cdk8s-plus-28's StatefulSet has no volume claim templates; its spec is produced lazily by
 * `_toKube()`, so the claims are added there, and the stand-in pod volumes that carry the
 * mounts are dropped (the claim template provides the volume of that name).
 */
function addVolumeClaimTemplates(statefulSet: kplus.StatefulSet, claims: ValidClaim[]): void {
  if (claims.length === 0) return;
  const target = statefulSet as unknown as { _toKube(): kplus.k8s.StatefulSetSpec };
  const produce = target._toKube.bind(statefulSet);
  const claimNames = new Set(claims.map((claim) => claim.name));
  target._toKube = () => {
    const spec = produce();
    const podSpec = spec.template.spec;
    const volumes = podSpec?.volumes?.filter((volume) => !claimNames.has(volume.name));
    return {
      ...spec,
      template: { ...spec.template, spec: podSpec ? { ...podSpec, volumes: volumes && volumes.length > 0 ? volumes : undefined } : podSpec },
      volumeClaimTemplates: claims.map((claim) => ({ ...claim.template, metadata: { ...claim.template.metadata } })),
    };
  };
}

/** one stand-in volume per claim, shared by every mount of it. */
function claimVolume(scope: Construct, name: string): kplus.Volume {
  const id = `Claim-${volumeNameOf('claim', `/${name}`, 'volumeClaims name')}`;
  const existing = scope.node.tryFindChild(id);
  if (existing) return existing as kplus.Volume;
  return kplus.Volume.fromPersistentVolumeClaim(scope, id, kplus.PersistentVolumeClaim.fromClaimName(scope, `${id}Ref`, name), { name });
}

function portsOf(containers: readonly { portNumber?: number; ports?: kplus.ContainerPort[] }[]): kplus.ServicePort[] {
  const ports: kplus.ServicePort[] = [];
  for (const container of containers) {
    if (container?.portNumber !== undefined) ports.push({ port: container.portNumber, targetPort: container.portNumber, name: `port-${container.portNumber}` });
    for (const port of container?.ports ?? []) ports.push({ port: port.number, targetPort: port.number, name: port.name ?? `port-${port.number}` });
  }
  return ports;
}

/** `1Gi` rather than `1024Mi`: the unit a reader expects. */
function quantityOf(size: Size): string {
  const mebibytes = size.toMebibytes();
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}
