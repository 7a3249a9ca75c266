import { asArray, asRecord } from './pod-spec';

/**
 * True when a Kubernetes label selector (`matchLabels` and `matchExpressions`) selects an object
 * with `labels`. An empty selector selects everything; a selector that is not a mapping, or an
 * expression with an unknown operator, selects nothing (as the API server would reject it).
 */
export function matchesLabelSelector(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  const record = asRecord(selector);
  if (!record) return false;
  const matchLabels = asRecord(record.matchLabels) ?? {};
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  for (const item of asArray(record.matchExpressions)) {
    const expression = asRecord(item);
    if (!expression || typeof expression.key !== 'string') return false;
    const present = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = asArray(expression.values);
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In': if (!present || !values.includes(value)) return false; break;
      case 'NotIn': if (present && values.includes(value)) return false; break;
      case 'Exists': if (!present) return false; break;
      case 'DoesNotExist': if (present) return false; break;
      default: return false;
    }
  }
  return true;
}

/** the `metadata.labels` of an object, or an empty record. */
export function labelsOf(object: Record<string, unknown>): Record<string, unknown> {
  return asRecord(asRecord(object.metadata)?.labels) ?? {};
}
