/**
 * The Setup page's reads and writes. Every write refreshes all setup reads, the providers
 * and the settings: the setup status (checklist, dispatch mode needs) depends on each.
 */
import type { Client } from '../../api/gen/client';
import {
  createProvider,
  deleteProvider,
  getLlmEndpoint,
  getPanelConnection,
  getSetupStatus,
  getTelegramBot,
  getUserbot,
  listCustomerLinks,
  listProviders,
  removeLlmEndpoint,
  removeTelegramBot,
  removeUserbot,
  revokeCustomerLink,
  saveLlmEndpoint,
  savePanelConnection,
  saveTelegramBot,
  startUserbotLogin,
  submitUserbotCode,
  submitUserbotPassword,
  testLlmEndpoint,
  testPanelConnection,
  updateProvider,
  updateSettings,
  type LlmIn,
  type PanelIn,
  type ProviderIn,
  type SettingsOut,
} from '../../api/gen';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';

export const setupKeys = {
  status: [...keys.setup, 'status'],
  panel: [...keys.setup, 'panel'],
  bot: [...keys.setup, 'telegram-bot'],
  userbot: [...keys.setup, 'userbot'],
  links: [...keys.setup, 'customer-links'],
  llm: [...keys.setup, 'llm'],
};

const CHANGED_BY_SETUP = [keys.setup, keys.providers, keys.settings];

function useSetupWrite<V, T>(write: (client: Client, variables: V) => Promise<{ data: T }>) {
  return useApiMutation(write, { invalidates: CHANGED_BY_SETUP });
}

export const useSetupStatus = (enabled = true) => useApiQuery(setupKeys.status, getSetupStatus, { enabled });
export const usePanel = () => useApiQuery(setupKeys.panel, getPanelConnection);
export const useProviders = () => useApiQuery(keys.providers, listProviders);
export const useTelegramBot = () => useApiQuery(setupKeys.bot, getTelegramBot);
export const useUserbot = () => useApiQuery(setupKeys.userbot, getUserbot);
export const useCustomerLinks = () => useApiQuery(setupKeys.links, listCustomerLinks);
export const useLlm = () => useApiQuery(setupKeys.llm, getLlmEndpoint);

export const useSavePanel = () => useSetupWrite((client, body: PanelIn) => savePanelConnection({ client, body }));
/** The test changes nothing: its report is shown, nothing is refetched. */
export const useTestPanel = () => useApiMutation((client, _: void) => testPanelConnection({ client }));

export const useSaveProvider = () =>
  useSetupWrite((client, { id, body }: { id: string | null; body: ProviderIn }) =>
    id ? updateProvider({ client, path: { provider_id: id }, body }) : createProvider({ client, body }),
  );
export const useDeleteProvider = () => useSetupWrite((client, id: string) => deleteProvider({ client, path: { provider_id: id } }));

export const useSaveBot = () => useSetupWrite((client, token: string) => saveTelegramBot({ client, body: { token } }));
export const useRemoveBot = () => useSetupWrite((client, id: string) => removeTelegramBot({ client, path: { bot_id: id } }));

export const useStartUserbot = () => useSetupWrite((client, phone: string) => startUserbotLogin({ client, body: { phone } }));
export const useUserbotCode = () => useSetupWrite((client, code: string) => submitUserbotCode({ client, body: { code } }));
export const useUserbotPassword = () =>
  useSetupWrite((client, password: string) => submitUserbotPassword({ client, body: { password } }));
export const useRemoveUserbot = () => useSetupWrite((client, _: void) => removeUserbot({ client }));

export const useRevokeLink = () => useSetupWrite((client, id: string) => revokeCustomerLink({ client, path: { link_id: id } }));

export const useSaveLlm = () => useSetupWrite((client, body: LlmIn) => saveLlmEndpoint({ client, body }));
export const useRemoveLlm = () => useSetupWrite((client, _: void) => removeLlmEndpoint({ client }));
export const useTestLlm = () => useApiMutation((client, _: void) => testLlmEndpoint({ client }));

export const useSetDispatchMode = () =>
  useSetupWrite((client, mode: SettingsOut['dispatch_mode']) => updateSettings({ client, body: { dispatch_mode: mode } }));
