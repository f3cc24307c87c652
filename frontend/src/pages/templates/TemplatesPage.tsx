import { useMemo, useState } from 'react';
import { useApi } from '../../deps';
import { useAuth } from '../../auth/AuthContext';
import { useLoad } from '../../useLoad';
import { useToast } from '../../components/Toast';
import { Empty, LoadError, Loading, OwnerOnlyNote, PageHeader } from '../../components/ui';
import type { Template } from '../../api/types';
import { TemplateEditor } from './TemplateEditor';
import { GROUP_ORDER, templateGroup, templateTitle } from './placeholders';

export function TemplatesPage() {
  const api = useApi();
  const toast = useToast();
  const { isOwner } = useAuth();
  const list = useLoad(() => api.templates.list(), [api]);
  const [selected, setSelected] = useState<string | null>(null);

  const groups = useMemo(() => {
    const by = new Map<string, Template[]>();
    for (const t of list.data ?? []) {
      const g = templateGroup(t.key);
      by.set(g, [...(by.get(g) ?? []), t]);
    }
    return [...by.entries()].sort((a, b) => GROUP_ORDER.indexOf(a[0]) - GROUP_ORDER.indexOf(b[0]));
  }, [list.data]);

  const current = list.data?.find((t) => t.key === selected) ?? list.data?.[0];
  const replace = (t: Template) => list.setData((xs) => (xs ?? []).map((x) => (x.key === t.key ? t : x)));

  return (
    <div className="page">
      <PageHeader
        title="Reply templates"
        subtitle="What customers are told for each outcome. Replies are in English unless you turn on replying in the customer's language in Settings."
      />
      {!isOwner && <OwnerOnlyNote what="edit templates" />}
      {list.loading && !list.data ? (
        <Loading />
      ) : list.error ? (
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
              onSave={async (text) => {
                const t = await api.templates.save(current.key, text);
                replace(t);
                return t;
              }}
              onReset={async () => {
                const t = await api.templates.reset(current.key);
                if (t && typeof t === 'object' && 'key' in t) replace(t);
                else replace({ ...current, text: current.default_text, is_custom: false });
                toast.success('Template reset to the default text.');
                return t;
              }}
              onPreview={(text) => api.templates.preview(current.key, text)}
            />
          </div>
        </div>
      )}
    </div>
  );
}
