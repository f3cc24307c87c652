import { gatewayName } from './labels';

/** Which payment gateway new invoices are paid through; shown only when there is a choice. */
export function GatewayChooser({ gateways, value, onChange }: { gateways: string[]; value: string; onChange: (g: string) => void }) {
  if (gateways.length < 2) return null;
  return (
    <fieldset className="fieldset gateway-chooser">
      <legend>Pay with</legend>
      <div className="radio-row">
        {gateways.map((g) => (
          <label key={g}>
            <input type="radio" name="gateway" value={g} checked={value === g} onChange={() => onChange(g)} />
            {gatewayName(g)}
          </label>
        ))}
      </div>
      <span className="hint">Used for plan changes, pending payments and credit packs paid from this page.</span>
    </fieldset>
  );
}
