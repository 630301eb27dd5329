import { useEffect, useState } from 'react';

interface Health {
  status: string;
  storage: string;
  version: string;
}

/** App shell. The workspace UI lands with the PWA issue. */
export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch('/api/v1/health')
      .then((r) => (r.ok ? (r.json() as Promise<Health>) : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(setHealth, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  return (
    <main>
      <h1>Outpost</h1>
      <p role="status">
        {health
          ? `Server ${health.status} · storage ${health.storage} · v${health.version}`
          : error
            ? `Offline or server unreachable (${error})`
            : 'Connecting…'}
      </p>
    </main>
  );
}
