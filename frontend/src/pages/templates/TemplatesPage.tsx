import { useMemo, useState } from 'react';
import { useAuth } from '../../auth/AuthContext';
import { useToast } from '../../components/Toast';
import { Empty, LoadError, Loading, OwnerOnlyNote, PageHeader } from '../../components/ui';
import { listTemplates, previewTemplate, resetTemplate, saveTemplate, type TemplateOut } from '../../api/gen';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';
import { TemplateEditor } from './TemplateEditor';
import { GROUP_ORDER, templateGroup, templateTitle } from './placeholders';

export function TemplatesPage() {
  const toast = useToast();
  const { isOwner } = useAuth();
  const list = useApiQuery(keys.templates, listTemplates);
  const [selected, setSelected] = useState<string | null>(null);
  const save = useApiMutation((client, { key, text }: { key: string; text: string }) => saveTemplate({ client, path: { key }, body: { text } }), {
    invalidates: [keys.templates],
  });
  const reset = useApiMutation((client, key: string) => resetTemplate({ client, path: { key } }), {
    invalidates: [keys.templates],
    onSuccess: () => toast.success('Template reset to the default text.'),
  });
  const preview = useApiMutation((client, { key, text }: { key: string; text: string }) => previewTemplate({ client, path: { key }, body: { text } }));

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
        subtitle="What customers are told for each outcome. Replies are in English unless you turn on replying in the customer's language in Settings."
      />
      {!isOwner && <OwnerOnlyNote what="edit templates" />}
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
