import { hasSha256Digest, parseImageReference } from '../../src/checker/rules/supply-chain/image-reference';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('image references |', () => {
  test.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.25', { repository: 'nginx', tag: '1.25' }],
    ['registry.example.com:5000/team/app', { repository: 'registry.example.com:5000/team/app' }],
    ['registry.example.com:5000/team/app:2.0', { repository: 'registry.example.com:5000/team/app', tag: '2.0' }],
    ['localhost:5000/app:latest', { repository: 'localhost:5000/app', tag: 'latest' }],
    [`app@${DIGEST}`, { repository: 'app', digest: DIGEST }],
    [`host:5000/app:1.0@${DIGEST}`, { repository: 'host:5000/app', tag: '1.0', digest: DIGEST }],
  ])('splits %s', (image, expected) => {
    expect(parseImageReference(image)).toEqual({ digest: undefined, ...expected });
  });

  test('accepts only sha256 with 64 lowercase hex digits', () => {
    expect(hasSha256Digest(parseImageReference(`app@${DIGEST}`))).toBe(true);
    expect(hasSha256Digest(parseImageReference('app@sha256:abc'))).toBe(false);
    expect(hasSha256Digest(parseImageReference(`app@${DIGEST.toUpperCase()}`))).toBe(false);
    expect(hasSha256Digest(parseImageReference(`app@sha512:${'a'.repeat(128)}`))).toBe(false);
    expect(hasSha256Digest(parseImageReference('app:1.0'))).toBe(false);
  });
});
