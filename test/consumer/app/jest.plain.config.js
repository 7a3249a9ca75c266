module.exports = {
  roots: ['<rootDir>'],
  testMatch: ['**/plain.test.js'],
  setupFilesAfterEnv: ['cdk8s-hardened/lib/checker/jest-setup'],
};
