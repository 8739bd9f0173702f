// The project code lists (channels, statuses with their next moves, fund sources, link kinds, asset kinds, purposes).
import { useEffect, useState } from 'react';
import { api, call } from '../api/client';
import type { Codes } from './types';

export function useCodes(): Codes | null {
  const [codes, setCodes] = useState<Codes | null>(null);
  useEffect(() => {
    call<Codes>(api.GET('/api/v1/projects/codes')).then(setCodes, () => setCodes({ channels: [], statuses: [], fundSources: [], linkKinds: [], assetKinds: [], purposes: [] }));
  }, []);
  return codes;
}
