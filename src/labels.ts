// Kept so that src/admission, which is being reworked separately, still resolves its imports; new code imports model/labels.
export * from './model/labels';
