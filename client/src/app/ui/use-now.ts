import { useEffect, useState } from 'react';

/**
 * The time now, renewed every `everyMs`: what "2 min ago" is counted from. The status bar and
 * the sync inspector count from it alike, so they say the same and both move on.
 */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
