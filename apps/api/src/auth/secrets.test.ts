import { describe, expect, it } from 'vitest';
import { hashPassword, newPassword, newSecret, sha256Hex, verifyPassword } from './secrets';

describe('secrets', () => {
  it('hashes passwords with a salt and verifies them', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct hors', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$0$8$1$AA==$AA==')).toBe(false);
  });

  it('makes distinct prefixed secrets and typeable passwords', () => {
    expect(newSecret('zsa')).toMatch(/^zsa_[\w-]{32}$/);
    expect(newSecret('zsa')).not.toBe(newSecret('zsa'));
    expect(newPassword()).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
