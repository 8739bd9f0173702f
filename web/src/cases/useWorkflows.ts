// The procedures as the server's domain defines them (GET /api/v1/workflows): state, step, field,
// code and attachment-kind labels come from there, never from copies in the i18n files. Fetched
// once per page load (a module-level promise shared by every page), retried after a failure.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { pick } from '../i18n';
import type { WorkflowCatalogue, WorkflowView } from './types';

let pending: Promise<WorkflowCatalogue> | null = null;
let loaded: WorkflowCatalogue | null = null;

/** The catalogue, fetched on first use. */
export function loadWorkflows(): Promise<WorkflowCatalogue> {
  pending ??= call<WorkflowCatalogue>(api.GET('/api/v1/workflows')).then(
    (c) => (loaded = c),
    (e: unknown) => {
      pending = null; // logged out or offline: ask again next time
      throw e;
    },
  );
  return pending;
}

export interface Workflows {
  /** null until loaded. */
  catalogue: WorkflowCatalogue | null;
  /** The procedures in the server's order (empty until loaded). */
  list: readonly WorkflowView[];
  /** One procedure by key. */
  get(key: string | null | undefined): WorkflowView | undefined;
}

/** The procedure definitions; re-renders when they arrive and when the language changes. */
export function useWorkflows(): Workflows {
  const { i18n } = useTranslation();
  const [catalogue, setCatalogue] = useState<WorkflowCatalogue | null>(loaded);
  useEffect(() => {
    if (catalogue) return;
    let live = true;
    loadWorkflows().then((c) => live && setCatalogue(c), () => {});
    return () => {
      live = false;
    };
  }, [catalogue]);
  return useMemo<Workflows>(() => ({
    catalogue,
    list: catalogue?.workflows ?? [],
    get: (key) => catalogue?.workflows.find((w) => w.key === key),
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [catalogue, i18n.language]);
}

// Labels in the current language; the key itself while the catalogue is loading or when unknown.

export function workflowLabel(w: WorkflowView | undefined, key?: string): string {
  return w ? pick(w.label) : key ?? '';
}

export function stateLabel(w: WorkflowView | undefined, state: string): string {
  const s = w?.states.find((x) => x.key === state);
  return s ? pick(s.label) : state;
}

export function actionLabel(w: WorkflowView | undefined, action: string): string {
  const a = w?.actions.find((x) => x.id === action);
  return a ? pick(a.label) : action;
}

type FieldView = WorkflowView['actions'][number]['fields'][number];

function findField(w: WorkflowView | undefined, key: string, action?: string): FieldView | undefined {
  const actions = w?.actions ?? [];
  const own = action ? actions.find((a) => a.id === action)?.fields.find((f) => f.key === key) : undefined;
  return own ?? actions.flatMap((a) => a.fields).find((f) => f.key === key);
}

/** The label of a step's input field; `action` narrows it to that step (a key means the same field in every step). */
export function fieldLabel(w: WorkflowView | undefined, key: string, action?: string): string {
  const f = findField(w, key, action);
  return f ? pick(f.label) : key;
}

/** The label of a code of a code field (发现方式, 风险类型 …). */
export function codeLabel(w: WorkflowView | undefined, field: string, code: string, action?: string): string {
  const c = findField(w, field, action)?.codes.find((x) => x.code === code);
  return c ? pick(c.label) : code;
}

export function attachmentKindLabel(catalogue: WorkflowCatalogue | null, kind: string): string {
  const k = catalogue?.attachmentKinds.find((x) => x.key === kind);
  return k ? pick(k.label) : kind;
}

/** A field value of a step as text; codes shown with their labels. */
export function inputText(w: WorkflowView | undefined, key: string, v: unknown, action?: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return codeLabel(w, key, v, action);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
