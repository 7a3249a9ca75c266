export * from './admission-guardrails';
export * from './admission-policies';
export * from './cel-versions';
export * from './pod-security-admission-configuration';
export * from './twin';
export { ADMISSION_TWINS, admissionTwinOf } from './twins';
export { imageAllowedExpression, imageRegistryTwin } from './twins/supply-chain-twins';
export { TARGET_KINDS, TARGET_RESOURCES } from './twin-targets';
