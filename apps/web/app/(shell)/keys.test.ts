import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcut } from './keys';

describe('shortcuts', () => {
  it('goes to a view after g, and knows search, theme and help', () => {
    expect(shortcut('g', undefined)).toEqual({ kind: 'pending' });
    expect(shortcut('m', 'g')).toEqual({ kind: 'go', href: '/map' });
    expect(shortcut('o', 'g')).toEqual({ kind: 'go', href: '/resources' });
    expect(shortcut('x', 'g')).toEqual({ kind: 'none' });
    expect(shortcut('m', undefined)).toEqual({ kind: 'none' });
    expect(shortcut('/', undefined)).toEqual({ kind: 'search' });
    expect(shortcut('t', undefined)).toEqual({ kind: 'theme' });
    expect(shortcut('?', undefined)).toEqual({ kind: 'help' });
  });

  it('ignores keys typed into fields', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'CANVAS' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
