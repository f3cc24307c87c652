import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiError, problemFromResponse } from '../../api/client';
import type { TemplateOut } from '../../api/gen';
import { renderApp } from '../../test/renderApp';
import { problem } from '../../test/server';
import { TemplateEditor } from './TemplateEditor';
import { findPlaceholderProblems } from './placeholders';

const expired: TemplateOut = {
  key: 'refill_period_expired',
  language: 'en',
  text: '{orders}: the {refill_days}-day refill period has ended.',
  default_text: '{orders}: the {refill_days}-day refill period has ended.',
  is_custom: false,
  placeholders: ['order_id', 'orders', 'refill_days'],
};

function editor(overrides: Partial<Parameters<typeof TemplateEditor>[0]> = {}) {
  const props = {
    template: expired,
    canEdit: true,
    onSave: vi.fn(async (text: string) => ({ ...expired, text, is_custom: true })),
    onReset: vi.fn(async () => expired),
    onPreview: vi.fn(async () => ({ rendered: 'Order 123: the 30-day refill period has ended.' })),
    ...overrides,
  };
  render(<TemplateEditor {...props} />);
  return props;
}

describe('placeholder check', () => {
  it('flags unknown names, format options and stray braces; accepts escaped braces', () => {
    const allowed = ['orders', 'wait'];
    expect(findPlaceholderProblems('{orders}: wait {wait} {{literal}}', allowed)).toEqual([]);
    expect(findPlaceholderProblems('{orders} {customer}', allowed)).toEqual(['unknown placeholder {customer} (allowed: {orders}, {wait})']);
    expect(findPlaceholderProblems('{wait:>10}', allowed)).toEqual(['placeholder {wait} takes no format options']);
    expect(findPlaceholderProblems('oops {orders', allowed)).toEqual(['unmatched brace: write {{ or }} for a literal brace']);
  });
});

describe('TemplateEditor', () => {
  it('warns about an unknown placeholder while typing', () => {
    editor();
    fireEvent.change(screen.getByLabelText('Template text'), { target: { value: '{orders}: sorry {customer_name}, too late.' } });
    const list = screen.getByRole('list', { name: 'Placeholder problems' });
    expect(list).toHaveTextContent('unknown placeholder {customer_name}');
    expect(list).toHaveTextContent('{refill_days}');
  });

  it("shows the server's placeholder errors when saving is refused", async () => {
    const onSave = vi.fn(async () => {
      throw problemFromResponse(400, {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The template has unknown placeholders.',
        errors: ['unknown placeholder {price} (allowed: {order_id}, {orders}, {refill_days})'],
      });
    });
    editor({ onSave });
    fireEvent.change(screen.getByLabelText('Template text'), { target: { value: '{orders} cost {price}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The template has unknown placeholders.');
    expect(alert).toHaveTextContent('unknown placeholder {price} (allowed: {order_id}, {orders}, {refill_days})');
    // Once: in the alert, no longer also in the list of problems found while typing.
    expect(screen.getAllByText(/unknown placeholder \{price\}/)).toHaveLength(1);
    expect(onSave).toHaveBeenCalledWith('{orders} cost {price}');
  });

  it('inserts a placeholder at the cursor and previews', async () => {
    const props = editor();
    const area = screen.getByLabelText('Template text') as HTMLTextAreaElement;
    fireEvent.change(area, { target: { value: 'Hi ' } });
    area.setSelectionRange(3, 3);
    fireEvent.click(screen.getByRole('button', { name: '{orders}' }));
    expect(area.value).toBe('Hi {orders}');
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByTestId('template-preview')).toHaveTextContent('Order 123: the 30-day refill period has ended.');
    expect(props.onPreview).toHaveBeenCalledWith('Hi {orders}');
  });

  it('is read-only for staff', () => {
    editor({ canEdit: false });
    expect(screen.getByLabelText('Template text')).toHaveProperty('readOnly', true);
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
  });
});

const languages = [
  { code: 'en', name: 'English', direction: 'ltr', edited: 0 },
  { code: 'ar', name: 'العربية', direction: 'rtl', edited: 1 },
  { code: 'ru', name: 'Русский', direction: 'ltr', edited: 0 },
];
const arabic: TemplateOut = {
  ...expired,
  language: 'ar',
  text: '{orders}: انتهت فترة التعبئة البالغة {refill_days} يومًا.',
  default_text: '{orders}: انتهت فترة التعبئة.',
  is_custom: true,
};

describe('Language picker', () => {
  function templatesIn(req: { query: URLSearchParams }) {
    const language = req.query.get('language') ?? 'en';
    return [language === 'ar' ? arabic : { ...expired, language }];
  }

  it('lists the languages from the API and edits, previews and resets Arabic right to left', async () => {
    const { server } = renderApp('/templates', {
      routes: {
        'GET /api/templates/languages': () => languages,
        'GET /api/templates': templatesIn,
        'PUT /api/templates/refill_period_expired': (req) => ({ ...arabic, text: (req.body as { text: string }).text }),
        'POST /api/templates/refill_period_expired/preview': () => ({ rendered: 'الطلب 48213: انتهت.' }),
        'DELETE /api/templates/refill_period_expired': () => undefined,
      },
    });
    const picker = (await screen.findByRole('combobox', { name: 'Language' })) as HTMLSelectElement;
    await waitFor(() => expect(within(picker).getAllByRole('option')).toHaveLength(3));
    expect(within(picker).getByRole('option', { name: 'العربية (ar) · 1 edited' })).toBeInTheDocument();
    expect((await screen.findByLabelText('Template text')).getAttribute('dir')).toBe('ltr');

    fireEvent.change(picker, { target: { value: 'ar' } });
    await waitFor(() => expect((screen.getByLabelText('Template text') as HTMLTextAreaElement).value).toBe(arabic.text));
    const area = screen.getByLabelText('Template text');
    expect(area.getAttribute('dir')).toBe('rtl');
    expect(server.calls.some((c) => c.method === 'GET' && c.path === '/api/templates' && c.query.get('language') === 'ar')).toBe(true);

    fireEvent.change(area, { target: { value: '{orders}: انتهت.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const shown = await screen.findByTestId('template-preview');
    expect(shown).toHaveTextContent('الطلب 48213: انتهت.');
    expect(shown.getAttribute('dir')).toBe('rtl');
    expect(server.callsTo('POST', '/api/templates/refill_period_expired/preview')[0].query.get('language')).toBe('ar');

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(server.callsTo('PUT', '/api/templates/refill_period_expired')).toHaveLength(1));
    const [put] = server.callsTo('PUT', '/api/templates/refill_period_expired');
    expect(put.query.get('language')).toBe('ar');
    expect(put.body).toEqual({ text: '{orders}: انتهت.' });

    fireEvent.click(await screen.findByRole('button', { name: 'Reset to default' }));
    await waitFor(() => expect(server.callsTo('DELETE', '/api/templates/refill_period_expired')).toHaveLength(1));
    expect(server.callsTo('DELETE', '/api/templates/refill_period_expired')[0].query.get('language')).toBe('ar');
  });

  it('shows the chosen language text left to right for Russian and English', async () => {
    renderApp('/templates', {
      routes: { 'GET /api/templates/languages': () => languages, 'GET /api/templates': templatesIn },
    });
    const picker = await screen.findByRole('combobox', { name: 'Language' });
    await waitFor(() => expect(within(picker).getAllByRole('option')).toHaveLength(3));
    fireEvent.change(picker, { target: { value: 'ru' } });
    await waitFor(() => expect(screen.getByLabelText('Template text').getAttribute('lang')).toBe('ru'));
    expect(screen.getByLabelText('Template text').getAttribute('dir')).toBe('ltr');
  });
});

describe('Templates page', () => {
  it('saves through PUT and surfaces a 400 problem from the API', async () => {
    const { server } = renderApp('/templates', {
      routes: {
        'GET /api/templates/languages': () => languages,
        'GET /api/templates': () => [expired, { ...expired, key: 'order_id_missing', text: 'Send the order ID.', default_text: 'Send the order ID.', placeholders: [] }],
        'PUT /api/templates/refill_period_expired': () =>
          problem(400, 'Unknown placeholders in the template.', { errors: ['unknown placeholder {foo} (allowed: {order_id}, {orders}, {refill_days})'] }),
      },
    });
    const area = await screen.findByLabelText('Template text');
    fireEvent.change(area, { target: { value: '{foo}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Unknown placeholders in the template.');
    expect(within(alert).getByText(/unknown placeholder \{foo\}/)).toBeInTheDocument();
    expect(server.callsTo('PUT', '/api/templates/refill_period_expired')[0].body).toEqual({ text: '{foo}' });

    fireEvent.click(screen.getByRole('button', { name: 'Order ID missing' }));
    await waitFor(() => expect((screen.getByLabelText('Template text') as HTMLTextAreaElement).value).toBe('Send the order ID.'));
  });

  it('keeps ApiError detail for non-validation errors', () => {
    const err = new ApiError({ status: 500, detail: 'An unexpected error occurred; it has been logged.' });
    expect(err.message).toBe('An unexpected error occurred; it has been logged.');
  });
});
