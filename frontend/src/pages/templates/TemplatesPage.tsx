import { useMemo, useState } from 'react';
import { useAuth } from '../../auth/AuthContext';
import { useToast } from '../../components/Toast';
import { Empty, LoadError, Loading, OwnerOnlyNote, PageHeader } from '../../components/ui';
import {
  listTemplateLanguages,
  listTemplates,
  previewTemplate,
  resetTemplate,
  saveTemplate,
  type LanguageOut,
  type TemplateOut,
} from '../../api/gen';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';
import { TemplateEditor } from './TemplateEditor';
import { GROUP_ORDER, templateGroup, templateTitle } from './placeholders';

export function TemplatesPage() {
  const toast = useToast();
  const { isOwner } = useAuth();
  const [language, setLanguage] = useState('en');
  const languages = useApiQuery([...keys.templates, 'languages'], listTemplateLanguages);
  const list = useApiQuery([...keys.templates, 'in', language], (o) => listTemplates({ ...o, query: { language } }));
  const [selected, setSelected] = useState<string | null>(null);
  const query = { language };
  const save = useApiMutation((client, { key, text }: { key: string; text: string }) => saveTemplate({ client, path: { key }, query, body: { text } }), {
    invalidates: [keys.templates],
  });
  const reset = useApiMutation((client, key: string) => resetTemplate({ client, path: { key }, query }), {
    invalidates: [keys.templates],
    onSuccess: () => toast.success('Template reset to the built-in text.'),
  });
  const preview = useApiMutation((client, { key, text }: { key: string; text: string }) =>
    previewTemplate({ client, path: { key }, query, body: { text } }),
  );
  const picked = languages.data?.find((l) => l.code === language);

  const groups = useMemo(() => {
    const by = new Map<string, TemplateOut[]>();
    for (const t of list.data ?? []) {
      const g = templateGroup(t.key);
      by.set(g, [...(by.get(g) ?? []), t]);
    }
    return [...by.entries()].sort((a, b) => GROUP_ORDER.indexOf(a[0]) - GROUP_ORDER.indexOf(b[0]));
  }, [list.data]);

  const current = list.data?.find((t) => t.key === selected) ?? list.data?.[0];

  return (
    <div className="page">
      <PageHeader
        title="Reply templates"
        subtitle="What customers are told for each outcome, in each language. Replies are in English unless you turn on replying in the customer's language in Settings; then a language you have not edited uses its built-in translation."
      />
      {!isOwner && <OwnerOnlyNote what="edit templates" />}
      <LanguagePicker languages={languages.data ?? []} value={language} onChange={setLanguage} />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <LoadError error={list.error} what="templates" />
      ) : !current ? (
        <Empty>No templates.</Empty>
      ) : (
        <div className="split">
          <nav className="template-list" aria-label="Templates">
            {groups.map(([group, ts]) => (
              <div key={group} className="template-group">
                <div className="template-group-title">{group}</div>
                {ts.map((t) => (
                  <button key={t.key} className={`template-item${t.key === current.key ? ' active' : ''}`} onClick={() => setSelected(t.key)}>
                    <span>{templateTitle(t.key)}</span>
                    {t.is_custom && <span className="dot dot-info" title="Customised" />}
                  </button>
                ))}
              </div>
            ))}
          </nav>
          <div className="card template-pane">
            <TemplateEditor
              template={current}
              direction={picked?.direction ?? 'ltr'}
              canEdit={isOwner}
              onSave={(text) => save.mutateAsync({ key: current.key, text })}
              onReset={() => reset.mutateAsync(current.key)}
              onPreview={(text) => preview.mutateAsync({ key: current.key, text })}
            />
          </div>
        </div>
      )}
    </div>
  );
}

/** Which language's templates are shown; each option says how many templates the owner edited in it. */
export function LanguagePicker({ languages, value, onChange }: { languages: LanguageOut[]; value: string; onChange: (code: string) => void }) {
  return (
    <label className="language-picker">
      <span>Language</span>
      <select aria-label="Language" value={value} onChange={(e) => onChange(e.target.value)} disabled={languages.length === 0}>
        {languages.length === 0 && <option value={value}>{value}</option>}
        {languages.map((l) => (
          <option key={l.code} value={l.code} lang={l.code} dir={l.direction}>
            {`${l.name} (${l.code})${l.edited ? ` · ${l.edited} edited` : ''}`}
          </option>
        ))}
      </select>
    </label>
  );
}
