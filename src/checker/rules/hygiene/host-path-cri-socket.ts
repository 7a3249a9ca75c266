import { posix } from 'path';
import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord, podSpecUnderCheck, POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule, Violation } from '../../types';

/** socket file names of docker, containerd, cri-o and cri-dockerd (and the old dockershim). */
export const SOCKET_NAMES = ['docker.sock', 'containerd.sock', 'crio.sock', 'cri-dockerd.sock', 'dockershim.sock'];

/** where runtimes put their sockets; mounting any of these paths or a parent directory exposes the socket. */
const SOCKET_PATHS = [
  '/var/run/docker.sock', '/run/docker.sock',
  '/var/run/containerd/containerd.sock', '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock', '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock', '/run/cri-dockerd.sock',
  '/var/run/dockershim.sock', '/run/dockershim.sock',
  '/run/k3s/containerd/containerd.sock',
];

/** the named pipes docker and containerd listen on under windows. */
const WINDOWS_PIPES = ['docker_engine', 'containerd-containerd'];

/** why the path exposes a runtime socket, or undefined when it does not. */
export function exposedSocket(hostPath: string): string | undefined {
  const pipe = /^[\\/]{2}\.[\\/]pipe[\\/]([^\\/]+)$/i.exec(hostPath.trim());
  if (pipe && WINDOWS_PIPES.includes(pipe[1].toLowerCase())) return `it is the runtime pipe ${pipe[1]}`;
  const normalized = posix.normalize(`/${hostPath}`).replace(/\/+$/, '') || '/';
  const name = posix.basename(normalized);
  if (SOCKET_NAMES.includes(name)) return `it is the runtime socket ${name}`;
  const inside = SOCKET_PATHS.find((socket) => normalized === '/' || socket.startsWith(`${normalized}/`));
  return inside === undefined ? undefined : `the directory holds the runtime socket ${inside}`;
}

/** flags a hostPath volume that mounts a container runtime socket or a directory holding one. */
export const hostPathCriSocketRule: Rule = {
  id: RuleIds.HOST_PATH_CRI_SOCKET,
  title: 'Container runtime socket mounted',
  description: 'Indicates when a hostPath volume mounts a container runtime socket (docker.sock, containerd.sock, crio.sock, cri-dockerd.sock) or a directory that holds one, such as /var/run, or the Windows pipes docker_engine and containerd-containerd, which gives root on the node.',
  severity: 'error',
  remediation: 'Remove the hostPath volume; talk to the runtime through a node agent with narrow permissions instead of its socket.',
  references: {
    cis: ['5.2.12'],
    links: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const pod = podSpecUnderCheck(object);
    if (!pod) return [];
    const violations: Violation[] = [];
    asArray(pod.spec.volumes).forEach((item, index) => {
      const volume = asRecord(item);
      const path = asRecord(volume?.hostPath)?.path;
      if (typeof path !== 'string') return;
      const reason = exposedSocket(path);
      if (reason === undefined) return;
      const name = typeof volume?.name === 'string' ? volume.name : `volumes[${index}]`;
      violations.push({
        message: `volume ${JSON.stringify(name)} mounts hostPath ${JSON.stringify(path)}: ${reason}`,
        path: `${pod.path}.volumes[${index}].hostPath.path`,
      });
    });
    return violations;
  },
};
