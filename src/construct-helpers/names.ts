import { Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** throws unless `value` is a DNS-1123 label (object names, namespace names, app names). */
export function validateDnsLabel(prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_LABEL.test(value)) {
    throw new Error(`${prop} is ${JSON.stringify(value)}: use a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`);
  }
  return value;
}

/** the namespace an object lands in: an explicit one, else its chart's. */
export function namespaceOf(scope: IConstruct, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return validateDnsLabel('namespace', explicit);
  return Chart.of(scope).namespace;
}
