import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_ID_BYTES, EXTERNAL_ID_PREFIX, base32, externalIdPattern, newExternalId } from '#shared/integrations/integration';

describe('external IDs', () => {
  it('are the readable prefix and 32 base32 characters: 160 bits, within STS ExternalId rules (2–1224 of [\\w+=,.@:/-])', () => {
    const id = newExternalId();

    expect(id.startsWith(EXTERNAL_ID_PREFIX)).toBe(true);
    expect(id).toMatch(externalIdPattern);
    expect(id).toHaveLength(EXTERNAL_ID_PREFIX.length + 32);
    expect(id).toMatch(/^[\w+=,.@:/-]{2,1224}$/);
    // 32 characters of a 32-symbol alphabet carry 160 bits; the brief asks for at least 128.
    expect((id.length - EXTERNAL_ID_PREFIX.length) * Math.log2(32)).toBeGreaterThanOrEqual(128);
  });

  it('draws at least 16 bytes (128 bits) from the random source, and nothing but them decides the ID', () => {
    const asked: number[] = [];
    const id = newExternalId((size) => {
      asked.push(size);
      return new Uint8Array(size).fill(0xff);
    });

    expect(asked).toEqual([EXTERNAL_ID_BYTES]);
    expect(EXTERNAL_ID_BYTES * 8).toBeGreaterThanOrEqual(128);
    expect(id).toBe(`${EXTERNAL_ID_PREFIX}${'7'.repeat(32)}`);
  });

  it('encodes base32 as RFC 4648 does (its test vectors, lower case, unpadded)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'my'], ['fo', 'mzxq'], ['foo', 'mzxw6'], ['foob', 'mzxw6yq'], ['fooba', 'mzxw6ytb'], ['foobar', 'mzxw6ytboi']];
    for (const [input, output] of vectors) expect(base32(Buffer.from(input))).toBe(output);
  });

  it('maps different random bytes to different IDs (the encoding is injective), so all 160 bits count', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.uint8Array({ minLength: 20, maxLength: 20 }), (a, b) => {
        fc.pre(Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0);
        expect(newExternalId(() => a)).not.toBe(newExternalId(() => b));
      }),
    );
  });

  it('does not repeat and spreads every character over the alphabet (10,000 draws)', () => {
    const ids = Array.from({ length: 10_000 }, () => newExternalId());
    expect(new Set(ids).size).toBe(ids.length);
    const counts = new Map<string, number>();
    for (const id of ids) for (const c of id.slice(EXTERNAL_ID_PREFIX.length)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // 320,000 characters, 10,000 expected per symbol: the last character carries 5 whole bits too (160 = 32 × 5).
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(600);
  });
});
