import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useDraft } from './useDraft';

describe('useDraft', () => {
  it('starts empty, copies loaded data, keeps edits until the data changes', () => {
    const { result, rerender } = renderHook(({ source }) => useDraft(source, (s) => s.name, ''), {
      initialProps: { source: undefined as { name: string } | undefined },
    });
    expect(result.current[0]).toBe('');

    const loaded = { name: 'FastFollowers' };
    rerender({ source: loaded });
    expect(result.current[0]).toBe('FastFollowers');

    act(() => result.current[1]('Fast Followers Pro'));
    rerender({ source: loaded });
    expect(result.current[0]).toBe('Fast Followers Pro');

    rerender({ source: { name: 'Saved name' } });
    expect(result.current[0]).toBe('Saved name');
  });

  it('applies functional updates to the latest draft', () => {
    const loaded = { n: 0 };
    const { result } = renderHook(() => useDraft(loaded, (s) => s.n, 0));
    act(() => {
      result.current[1]((d) => d + 1);
      result.current[1]((d) => d + 1);
    });
    expect(result.current[0]).toBe(2);
  });
});
