/** moved to the library: kept so older imports keep working during the transition. */
export * from '../../src/semantics/reachability';
