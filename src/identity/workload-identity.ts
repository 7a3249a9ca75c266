/**
 * A cloud workload identity binding for a ServiceAccount: the pod gets cloud credentials
 * through the platform's federation instead of node credentials or static keys.
 *
 * Build one with `WorkloadIdentity.eks()`, `.gke()` or `.azure()`.
 */
export class WorkloadIdentity {
  /**
   * EKS IAM Roles for Service Accounts (IRSA): the EKS webhook projects a web identity token.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
   */
  public static eks(options: EksWorkloadIdentityOptions): WorkloadIdentity {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(options.roleArn)) {
      throw new Error(`workloadIdentity roleArn is ${JSON.stringify(options.roleArn)}: use an IAM role ARN such as arn:aws:iam::123456789012:role/my-app`);
    }
    const annotations: Record<string, string> = { 'eks.amazonaws.com/role-arn': options.roleArn };
    if (options.tokenExpirationSeconds !== undefined) {
      validateExpiry('workloadIdentity tokenExpirationSeconds', options.tokenExpirationSeconds);
      annotations['eks.amazonaws.com/token-expiration'] = String(options.tokenExpirationSeconds);
    }
    return new WorkloadIdentity('eks', annotations, {});
  }

  /**
   * GKE Workload Identity: the Kubernetes ServiceAccount impersonates a Google service account.
   * Pods reach the GKE metadata server for tokens, so pair this with the GKE Workload Identity
   * metadata opt-in on the network side.
   *
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
   */
  public static gke(options: GkeWorkloadIdentityOptions): WorkloadIdentity {
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/.test(options.serviceAccountEmail)) {
      throw new Error(`workloadIdentity serviceAccountEmail is ${JSON.stringify(options.serviceAccountEmail)}: use a Google service account email such as app@my-project.iam.gserviceaccount.com`);
    }
    return new WorkloadIdentity('gke', { 'iam.gke.io/gcp-service-account': options.serviceAccountEmail }, {});
  }

  /**
   * Azure AD Workload Identity: the webhook projects a federated token into pods that carry
   * the `azure.workload.identity/use: "true"` label.
   *
   * @see https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html
   */
  public static azure(options: AzureWorkloadIdentityOptions): WorkloadIdentity {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (!uuid.test(options.clientId)) {
      throw new Error(`workloadIdentity clientId is ${JSON.stringify(options.clientId)}: use the managed identity's client id, a UUID`);
    }
    if (options.tenantId !== undefined && !uuid.test(options.tenantId)) {
      throw new Error(`workloadIdentity tenantId is ${JSON.stringify(options.tenantId)}: use the Azure AD tenant id, a UUID, or leave it out`);
    }
    const annotations: Record<string, string> = { 'azure.workload.identity/client-id': options.clientId };
    if (options.tenantId !== undefined) annotations['azure.workload.identity/tenant-id'] = options.tenantId;
    if (options.tokenExpirationSeconds !== undefined) {
      validateExpiry('workloadIdentity tokenExpirationSeconds', options.tokenExpirationSeconds);
      annotations['azure.workload.identity/service-account-token-expiration'] = String(options.tokenExpirationSeconds);
    }
    return new WorkloadIdentity('azure', annotations, { 'azure.workload.identity/use': 'true' });
  }

  private constructor(
    /** which cloud's federation this is. */
    public readonly provider: 'eks' | 'gke' | 'azure',
    /** annotations for the ServiceAccount. */
    public readonly serviceAccountAnnotations: Readonly<Record<string, string>>,
    /** labels the pods using the ServiceAccount need. */
    public readonly podLabels: Readonly<Record<string, string>>,
  ) {}
}

/** options for `WorkloadIdentity.eks()`. */
export interface EksWorkloadIdentityOptions {
  /** the IAM role the pods assume. */
  readonly roleArn: string;
  /**
   * Lifetime of the projected web identity token, 600 to 3600 seconds.
   *
   * @default - the EKS webhook's default, 86400 seconds
   */
  readonly tokenExpirationSeconds?: number;
}

/** options for `WorkloadIdentity.gke()`. */
export interface GkeWorkloadIdentityOptions {
  /** the Google service account to impersonate. */
  readonly serviceAccountEmail: string;
}

/** options for `WorkloadIdentity.azure()`. */
export interface AzureWorkloadIdentityOptions {
  /** the client id of the user-assigned managed identity or app registration. */
  readonly clientId: string;
  /**
   * The Azure AD tenant.
   *
   * @default - the tenant configured on the webhook
   */
  readonly tenantId?: string;
  /**
   * Lifetime of the projected token, 600 to 3600 seconds.
   *
   * @default - the webhook's default (3600)
   */
  readonly tokenExpirationSeconds?: number;
}

/** the range Kubernetes accepts for short-lived projected tokens, capped at one hour. */
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
export const MAX_TOKEN_EXPIRATION_SECONDS = 3600;

/** throws unless `seconds` is an integer between 600 and 3600. */
export function validateExpiry(prop: string, seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < MIN_TOKEN_EXPIRATION_SECONDS || seconds > MAX_TOKEN_EXPIRATION_SECONDS) {
    throw new Error(`${prop} is ${seconds}: use a whole number of seconds from ${MIN_TOKEN_EXPIRATION_SECONDS} (the API minimum) to ${MAX_TOKEN_EXPIRATION_SECONDS} (one hour)`);
  }
}
