// Kept so that src/admission, which is being reworked separately, still resolves its imports; new code imports model/rule-ids.
export * from './model/rule-ids';
