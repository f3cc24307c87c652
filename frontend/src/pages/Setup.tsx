import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { PageHeader } from '../components/ui';
import { CustomerBotSection } from './setup/CustomerBotSection';
import { CustomerLinksSection } from './setup/CustomerLinksSection';
import { DispatchModeSection } from './setup/DispatchModeSection';
import { LlmSection } from './setup/LlmSection';
import { OnboardingChecklist } from './setup/OnboardingChecklist';
import { PanelSection } from './setup/PanelSection';
import { ProvidersSection } from './setup/ProvidersSection';
import { UserbotSection } from './setup/UserbotSection';

/** Links such as /setup#customer-bot (from the checklist) land on their section. */
function useScrollToSection() {
  const { hash } = useLocation();
  useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView?.({ block: 'start' });
  }, [hash]);
}

export function SetupPage() {
  const { isOwner } = useAuth();
  useScrollToSection();
  return (
    <div className="page">
      <PageHeader title="Setup" subtitle="Connect your panel, its providers, the Telegram channels and, if you like, an LLM." />
      {isOwner ? (
        <>
          <OnboardingChecklist />
          <PanelSection />
          <ProvidersSection />
          <h2 className="section-title">Customers on Telegram</h2>
          <CustomerBotSection />
          <CustomerLinksSection />
          <h2 className="section-title">Messages to providers</h2>
          <DispatchModeSection />
          <UserbotSection />
          <LlmSection />
        </>
      ) : (
        <div className="notice">Only the account owner manages the panel, providers and Telegram connections.</div>
      )}
    </div>
  );
}
