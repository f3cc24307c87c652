import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { overrideService, type ServiceOut, type ServicePatch } from '../../api/gen';
import { keys, useApiMutation } from '../../api/queries';
import { ErrorBox } from '../../components/ErrorBox';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/Toast';
import { INTENT_LABEL, formatIntents, formatRefill } from '../../format';

type Intent = NonNullable<ServicePatch['screenshot_for']>[number];
const INTENTS: Intent[] = ['refill', 'cancel', 'speed_up'];

type RefillMode = 'detected' | 'days' | 'lifetime';
type Tri = 'default' | 'yes' | 'no';

export interface EditorState {
  refillMode: RefillMode;
  refillDays: string;
  cancel: Tri;
  speedUp: string;
  screenshotCustom: boolean;
  screenshot: Intent[];
  excluded: boolean;
}

export function stateFromService(s: ServiceOut): EditorState {
  const o = s.override;
  return {
    refillMode: o.lifetime === true ? 'lifetime' : o.refill_days !== null ? 'days' : 'detected',
    refillDays: o.refill_days !== null ? String(o.refill_days) : '',
    cancel: o.cancel_allowed === null ? 'default' : o.cancel_allowed ? 'yes' : 'no',
    speedUp: o.speed_up_after_hours !== null ? String(o.speed_up_after_hours) : '',
    screenshotCustom: o.screenshot_for !== null,
    screenshot: (o.screenshot_for ?? s.effective.screenshot_for).filter((i): i is Intent => (INTENTS as string[]).includes(i)),
    excluded: o.excluded,
  };
}

/** The PATCH body for an editor state; null means "back to detected/default". */
export function patchFromState(st: EditorState): ServicePatch | string {
  const patch: ServicePatch = { excluded: st.excluded };
  if (st.refillMode === 'detected') Object.assign(patch, { refill_days: null, lifetime: null });
  else if (st.refillMode === 'lifetime') Object.assign(patch, { refill_days: null, lifetime: true });
  else {
    const n = Number(st.refillDays);
    if (st.refillDays.trim() === '' || !Number.isInteger(n) || n < 0) return 'Refill days must be a whole number (0 = no refill).';
    Object.assign(patch, { refill_days: n, lifetime: false });
  }
  patch.cancel_allowed = st.cancel === 'default' ? null : st.cancel === 'yes';
  if (st.speedUp.trim() === '') patch.speed_up_after_hours = null;
  else {
    const h = Number(st.speedUp);
    if (!Number.isFinite(h) || h < 0) return 'Speed-up hours must be a positive number.';
    patch.speed_up_after_hours = h;
  }
  patch.screenshot_for = st.screenshotCustom ? [...st.screenshot] : null;
  return patch;
}

export function ServiceEditor({ service, onClose }: { service: ServiceOut; onClose: () => void }) {
  const toast = useToast();
  const [st, setSt] = useState<EditorState>(() => stateFromService(service));
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useApiMutation((client, patch: ServicePatch) => overrideService({ client, path: { service_id: service.id }, body: patch }), {
    invalidates: [keys.services],
    onSuccess: (updated) => {
      toast.success(`Service #${updated.panel_service_id} saved.`);
      onClose();
    },
  });
  const error = invalid ? new Error(invalid) : save.error;
  const busy = save.isPending;
  const set = (p: Partial<EditorState>) => setSt((prev) => ({ ...prev, ...p }));
  const detected = formatRefill(service.detected.refill_days, service.detected.lifetime);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const patch = patchFromState(st);
    setInvalid(typeof patch === 'string' ? patch : null);
    if (typeof patch !== 'string') save.mutate(patch);
  };

  return (
    <Modal
      title={`Service #${service.panel_service_id}`}
      onClose={busy ? undefined : onClose}
      wide
      footer={
        <>
          <button className="btn" type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form="service-editor" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <p className="service-title">{service.name}</p>
      <form id="service-editor" className="form" onSubmit={submit}>
        <ErrorBox error={error} />
        <fieldset className="fieldset">
          <legend>Refill period</legend>
          <p className="muted small">
            Detected from the name: <strong>{detected}</strong>
            {service.detected.rule && <> ({service.detected.rule})</>}
          </p>
          <div className="radio-row">
            <label>
              <input type="radio" name="refill" checked={st.refillMode === 'detected'} onChange={() => set({ refillMode: 'detected' })} /> Use detected
            </label>
            <label>
              <input type="radio" name="refill" checked={st.refillMode === 'days'} onChange={() => set({ refillMode: 'days' })} /> Days
            </label>
            <label>
              <input type="radio" name="refill" checked={st.refillMode === 'lifetime'} onChange={() => set({ refillMode: 'lifetime' })} /> Lifetime
            </label>
          </div>
          {st.refillMode === 'days' && (
            <Field label="Refill days" hint="0 = no refill" className="field-inline">
              <input type="number" min={0} step={1} value={st.refillDays} onChange={(e) => set({ refillDays: e.target.value })} />
            </Field>
          )}
        </fieldset>

        <div className="grid-2">
          <Field label="Cancel">
            <select value={st.cancel} onChange={(e) => set({ cancel: e.target.value as Tri })}>
              <option value="default">
                Default{service.override.cancel_allowed === null ? ` (now ${service.effective.cancel_allowed ? 'allowed' : 'not allowed'})` : ''}
              </option>
              <option value="yes">Allowed</option>
              <option value="no">Not allowed</option>
            </select>
          </Field>
          <Field label="Speed-up after (hours)" hint='Blank = default. Younger orders get "within expected time".'>
            <input type="number" min={0} step="0.5" value={st.speedUp} placeholder="default (6)" onChange={(e) => set({ speedUp: e.target.value })} />
          </Field>
        </div>

        <fieldset className="fieldset">
          <legend>Screenshot required for</legend>
          <label className="checkbox">
            <input type="checkbox" checked={!st.screenshotCustom} onChange={(e) => set({ screenshotCustom: !e.target.checked })} /> Use default
            {!st.screenshotCustom && <span className="muted small"> (now: {formatIntents(service.effective.screenshot_for)})</span>}
          </label>
          {st.screenshotCustom && (
            <div className="radio-row">
              {INTENTS.map((i) => (
                <label key={i} className="checkbox">
                  <input
                    type="checkbox"
                    checked={st.screenshot.includes(i)}
                    onChange={(e) => set({ screenshot: e.target.checked ? [...st.screenshot, i] : st.screenshot.filter((x) => x !== i) })}
                  />{' '}
                  {INTENT_LABEL[i]}
                </label>
              ))}
            </div>
          )}
        </fieldset>

        <label className="checkbox">
          <input type="checkbox" checked={st.excluded} onChange={(e) => set({ excluded: e.target.checked })} /> Exclude from automation (requests for this
          service go to manual review)
        </label>
      </form>
    </Modal>
  );
}
