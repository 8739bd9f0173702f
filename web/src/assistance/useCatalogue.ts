// The measure-type catalogue (built-in and the county's own), fund sources and income components.
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/client';
import { pick } from '../i18n';
import type { Catalogue, MeasureType } from './measure-types';

export function useCatalogue(includeInactive = false) {
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const reload = useCallback(async () => {
    try {
      setCatalogue(await call<Catalogue>(api.GET('/api/v1/measure-types', { params: { query: includeInactive ? { includeInactive: 'true' } : {} } })));
    } catch {
      setCatalogue({ channels: [], fundSources: [], incomeComponents: [] });
    }
  }, [includeInactive]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const types = catalogue?.channels.flatMap((c) => c.types) ?? [];
  const typeOf = (code: string | undefined): MeasureType | undefined => types.find((t) => t.code === code);
  /** Options grouped by channel, for a Select. */
  const typeOptions = (catalogue?.channels ?? [])
    .filter((c) => c.types.length)
    .map((c) => ({ label: pick(c.label), options: c.types.map((t) => ({ value: t.code, label: pick(t.name) })) }));
  const channelOptions = (catalogue?.channels ?? []).map((c) => ({ value: c.key, label: pick(c.label) }));
  const fundOptions = (catalogue?.fundSources ?? []).map((f) => ({ value: f.key, label: pick(f.label) }));
  const componentOptions = (catalogue?.incomeComponents ?? []).map((f) => ({ value: f.key, label: pick(f.label) }));
  return { catalogue, reload, types, typeOf, typeOptions, channelOptions, fundOptions, componentOptions };
}
