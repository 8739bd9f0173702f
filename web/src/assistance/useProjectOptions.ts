// The projects a measure may name: the household's county's projects as the projects service shows
// them to the actor (a township or village account sees the county-wide projects and those of its
// villages), searched by name or implementer (or a year, typed as four digits), newest year first;
// and the budget sources of the chosen project, for the fund-source select.
import { useEffect, useRef, useState } from 'react';
import { api, call } from '../api/client';
import { useSession } from '../session';
import { pick } from '../i18n';
import type { ProjectBudget, ProjectItem, ProjectQuery } from './measure-types';

export interface ProjectOption {
  value: number;
  label: string;
}

export function projectLabel(p: Pick<ProjectItem, 'name' | 'year' | 'channelLabel'>): string {
  return `${p.name} · ${p.year} · ${pick(p.channelLabel)}`;
}

/** Options for the project select of a household in `countyCode`; `search` asks the server again. */
export function useProjectOptions(countyCode: string, enabled: boolean) {
  const { me } = useSession();
  const [items, setItems] = useState<ProjectItem[]>([]);
  const [loading, setLoading] = useState(false);
  const [q, setQ] = useState('');
  const seq = useRef(0);
  const mine = me?.user.areaCode ?? '';
  // The county when the account's area holds it; else the account's own area (inside the county),
  // the projects service's default — asking for the county would be outside its area.
  const area = mine === '*' || countyCode.startsWith(mine) ? countyCode : undefined;

  useEffect(() => {
    if (!enabled || !countyCode) return;
    const n = ++seq.current;
    const text = q.trim();
    const query: ProjectQuery = { pageSize: 200, ...(area ? { area } : {}) };
    if (/^\d{4}$/.test(text)) query.year = Number(text);
    else if (text) query.q = text;
    setLoading(true);
    const timer = setTimeout(() => {
      call<{ items: ProjectItem[] }>(api.GET('/api/v1/projects', { params: { query } }))
        .then((r) => {
          // A county-wide account also sees other counties' projects only when asked for the county.
          if (n === seq.current) setItems(r.items.filter((p) => p.countyCode === countyCode));
        })
        .catch(() => {
          if (n === seq.current) setItems([]);
        })
        .finally(() => {
          if (n === seq.current) setLoading(false);
        });
    }, text ? 300 : 0);
    return () => clearTimeout(timer);
  }, [enabled, countyCode, area, q]);

  const options: ProjectOption[] = items.map((p) => ({ value: p.id, label: projectLabel(p) }));
  return { options, loading, search: setQ };
}

/** The budget lines of one project (null: none chosen, or it could not be read). */
export function useProjectBudgets(projectId: number | null | undefined) {
  const [budgets, setBudgets] = useState<{ projectId: number; lines: ProjectBudget[] } | null>(null);
  useEffect(() => {
    if (!projectId) {
      setBudgets(null);
      return;
    }
    let live = true;
    call<{ budgets: ProjectBudget[] }>(api.GET('/api/v1/projects/{id}', { params: { path: { id: projectId } } }))
      .then((p) => {
        if (live) setBudgets({ projectId, lines: p.budgets });
      })
      .catch(() => {
        if (live) setBudgets(null);
      });
    return () => {
      live = false;
    };
  }, [projectId]);
  return budgets && budgets.projectId === projectId ? budgets.lines : null;
}
