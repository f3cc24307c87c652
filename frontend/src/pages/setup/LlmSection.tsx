import { useState, type FormEvent } from 'react';
import type { LlmOut } from '../../api/gen';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { ConfirmButton } from '../../components/ConfirmButton';
import { QueryView } from '../../components/QueryView';
import { Badge, Card } from '../../components/ui';
import { useDraft } from '../../useDraft';
import { INTENT_LABEL } from '../../format';
import { SecretInput } from './PanelSection';
import { useLlm, useRemoveLlm, useSaveLlm, useTestLlm } from './queries';

function TestResult({ test }: { test: ReturnType<typeof useTestLlm> }) {
  if (test.error) return <ErrorBox error={test.error} title="Test failed." />;
  if (!test.data) return null;
  const { sample, intent, order_ids } = test.data;
  return (
    <div className="notice notice-ok" role="status">
      The endpoint answered. It read “{sample}” as <strong>{INTENT_LABEL[intent] ?? intent}</strong>
      {order_ids.length > 0 && <> for order {order_ids.join(', ')}</>}.
    </div>
  );
}

function LlmForm({ llm }: { llm: LlmOut }) {
  const toast = useToast();
  const save = useSaveLlm();
  const remove = useRemoveLlm();
  const test = useTestLlm();
  const [form, setForm] = useDraft(llm, (l) => ({ url: l.url ?? '', model: l.model ?? '' }), { url: '', model: '' });
  const [apiKey, setApiKey] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { url: form.url.trim(), model: form.model.trim(), api_key: apiKey },
      {
        onSuccess: () => {
          setApiKey('');
          test.reset();
          toast.success('LLM endpoint saved. Use Test to check it answers.');
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit}>
      <ErrorBox error={save.error} inlineFields={['url', 'model', 'api_key']} />
      <div className="grid-2">
        <Field label="Endpoint URL" name="url" error={save.error} hint="The base URL (…/v1) or the full chat-completions URL.">
          <input type="url" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} placeholder="https://api.openai.com/v1" required />
        </Field>
        <Field label="Model" name="model" error={save.error}>
          <input value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} placeholder="gpt-4o-mini" required />
        </Field>
      </div>
      <SecretInput label="API key" isSet={llm.api_key_set} value={apiKey} onChange={setApiKey} />
      <div className="button-row">
        <button className="btn btn-primary" type="submit" disabled={save.isPending || !form.url.trim() || !form.model.trim() || !apiKey}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button className="btn" type="button" onClick={() => test.mutate()} disabled={test.isPending || !llm.url}>
          {test.isPending ? 'Testing…' : 'Test'}
        </button>
        {llm.url && (
          <ConfirmButton
            title="Stop using the LLM"
            message="Remove the LLM endpoint? Messages the built-in understanding is unsure about then go to a person, in your review queue."
            confirmLabel="Remove"
            onConfirm={() =>
              remove.mutateAsync().then(
                () => {
                  test.reset();
                  toast.success('LLM endpoint removed.');
                },
                (err) => toast.error(err),
              )
            }
          >
            Remove
          </ConfirmButton>
        )}
      </div>
      <TestResult test={test} />
    </form>
  );
}

export function LlmSection() {
  const llm = useLlm();
  return (
    <Card
      title="LLM endpoint (optional)"
      id="llm"
      actions={llm.data && (llm.data.url ? <Badge tone="ok">in use</Badge> : <Badge>not used</Badge>)}
    >
      <p className="muted">
        Messages the built-in understanding is unsure about can be read by an OpenAI-compatible model of your choice. Its answer is checked (known
        intents, order IDs that are in the message); on any error the built-in reading is used.
      </p>
      <QueryView query={llm} what="the LLM endpoint">
        {(l) => <LlmForm llm={l} />}
      </QueryView>
    </Card>
  );
}
