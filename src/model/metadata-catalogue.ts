/**
 * The cloud metadata and credential endpoints a pod must never reach by accident.
 *
 * Every broad egress allow the library emits excepts each address inside its CIDR, and the
 * checker flags any egress rule whose destination contains one of them.
 */
export interface MetadataEndpoint {
  /** the address, without a mask. */
  readonly address: string;
  /** the address as a host CIDR (`/32` or `/128`). */
  readonly cidr: string;
  readonly family: 'ipv4' | 'ipv6';
  /** the platforms that serve credentials or instance data there. */
  readonly platforms: readonly string[];
  /** where the address is documented. */
  readonly source: string;
}

export const METADATA_ENDPOINTS: readonly MetadataEndpoint[] = [
  {
    address: '169.254.169.254',
    cidr: '169.254.169.254/32',
    family: 'ipv4',
    platforms: ['AWS EC2 IMDS', 'GCP/GKE metadata server', 'Azure IMDS', 'Oracle OCI', 'OpenStack', 'DigitalOcean'],
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html',
  },
  {
    address: 'fd00:ec2::254',
    cidr: 'fd00:ec2::254/128',
    family: 'ipv6',
    platforms: ['AWS EC2 IMDS (IPv6, Nitro)'],
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html',
  },
  {
    address: '169.254.170.2',
    cidr: '169.254.170.2/32',
    family: 'ipv4',
    platforms: ['AWS ECS task metadata and credentials'],
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
  },
  {
    address: '169.254.170.23',
    cidr: '169.254.170.23/32',
    family: 'ipv4',
    platforms: ['AWS EKS Pod Identity agent'],
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html',
  },
  {
    address: 'fd00:ec2::23',
    cidr: 'fd00:ec2::23/128',
    family: 'ipv6',
    platforms: ['AWS EKS Pod Identity agent (IPv6)'],
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html',
  },
  {
    address: '100.100.100.200',
    cidr: '100.100.100.200/32',
    family: 'ipv4',
    platforms: ['Alibaba Cloud ECS metadata'],
    source: 'https://www.alibabacloud.com/help/en/ecs/user-guide/view-instance-metadata',
  },
];
