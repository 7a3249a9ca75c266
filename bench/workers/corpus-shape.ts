/** every tenant file of the checker corpus holds exactly this many objects, so corpus sizes are exact multiples. */
export const OBJECTS_PER_TENANT = 250;

/** the file of tenant `index`: `tenant-0007.yaml`. */
export function tenantFileName(index: number): string {
  return `${tenantName(index)}.yaml`;
}

/** the namespace of tenant `index`: `tenant-0007`. */
export function tenantName(index: number): string {
  return `tenant-${String(index).padStart(4, '0')}`;
}
