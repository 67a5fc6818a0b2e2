import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { supervisionApi } from '../api/supervision';

/**
 * Live board: one EventSource per page; every `change` event (cases, alerts, cards changed, or a deadline
 * passed) refreshes the supervision queries without a reload. The browser reconnects by itself.
 */
export function useLiveSupervision(): { connected: boolean; lastChange: string | null } {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [lastChange, setLastChange] = useState<string | null>(null);
  useEffect(() => {
    const source = new EventSource(supervisionApi.streamUrl());
    source.addEventListener('hello', () => setConnected(true));
    source.addEventListener('change', (e) => {
      setLastChange((e as MessageEvent<string>).lastEventId || new Date().toISOString());
      void client.invalidateQueries({ queryKey: ['supervision'] });
    });
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [client]);
  return { connected, lastChange };
}
