import { describe, expect, it } from 'vitest';
import { symbolOffsets } from './elf';

describe('symbolOffsets', () => {
  it('finds exported functions of the node binary at file offsets inside it', () => {
    const offs = symbolOffsets(process.execPath, ['uv_version', 'napi_create_buffer', 'no_such_symbol']);
    expect(offs.get('uv_version')).toBeGreaterThan(0);
    expect(offs.get('napi_create_buffer')).toBeGreaterThan(0);
    expect(offs.has('no_such_symbol')).toBe(false);
  });

  it('returns nothing for files that are not ELF or do not exist', () => {
    expect(symbolOffsets('/etc/hostname', ['x']).size).toBe(0);
    expect(symbolOffsets('/nonexistent', ['x']).size).toBe(0);
  });
});
