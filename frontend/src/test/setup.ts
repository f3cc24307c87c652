import { afterEach, expect } from 'vitest';
import { cleanup } from '@testing-library/react';

// Minimal DOM matchers (no jest-dom dependency).
expect.extend({
  toBeInTheDocument(received: Element | null) {
    const pass = received != null && received.ownerDocument?.contains(received) === true;
    return { pass, message: () => `expected element ${pass ? 'not ' : ''}to be in the document` };
  },
  toHaveTextContent(received: Element | null, expected: string | RegExp) {
    const text = received?.textContent ?? '';
    const pass = typeof expected === 'string' ? text.includes(expected) : expected.test(text);
    return { pass, message: () => `expected "${text}" ${pass ? 'not ' : ''}to contain ${String(expected)}` };
  },
  toBeDisabled(received: Element | null) {
    const pass = !!received && (received as HTMLButtonElement).disabled === true;
    return { pass, message: () => `expected element ${pass ? 'not ' : ''}to be disabled` };
  },
});

afterEach(() => {
  cleanup();
  localStorage.clear();
});
