// First: a signed-in start asks for the workspace's chunk before the rest of this code runs.
import './early-workspace';
import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createAccounts } from './app/auth/accounts';
import { captureInstallPrompt } from './app/pwa/install-prompt';
import { registerServiceWorker } from './app/pwa/service-worker';
import { reportClientError } from './app/ui/report-error';
import './styles.css';

window.addEventListener('error', (e) =>
  reportClientError(e.error instanceof Error ? e.error : new Error(e.message), { where: 'window' }),
);
window.addEventListener('unhandledrejection', (e) =>
  reportClientError(e.reason instanceof Error ? e.reason : new Error(String(e.reason)), {
    where: 'promise',
  }),
);

// Created once, outside React: they outlive every screen (and StrictMode's double mount).
const services = {
  accounts: createAccounts(),
  pwa: registerServiceWorker(),
  install: captureInstallPrompt(),
};

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
// A transition: React renders the first screen in slices that yield to the browser every few
// ms (a plain render is one task, and the first run of React's own code is slow on a phone).
startTransition(() =>
  createRoot(root).render(
    <StrictMode>
      <App {...services} />
    </StrictMode>,
  ),
);
