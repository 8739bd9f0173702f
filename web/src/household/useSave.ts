// The save path shared by the edit forms: field errors onto fields, 409 into a conflict notice.
import { useState } from 'react';
import type { FormInstance } from 'antd';
import { ApiError, type ApiIssue } from '../api/client';
import { pick } from '../i18n';
import { applyIssues } from './issues';

export function useSave(form: FormInstance, fields: readonly string[]) {
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ message: string; current: unknown } | null>(null);
  const [problem, setProblem] = useState<{ title: string; issues: ApiIssue[]; scroll: boolean } | null>(null);

  async function save<T>(fn: () => Promise<T>): Promise<T | undefined> {
    setSaving(true);
    setConflict(null);
    setProblem(null);
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict({ message: pick(e.body), current: e.body.current });
      else if (e instanceof ApiError && e.issues.length) {
        const rest = applyIssues(form, e.issues, fields);
        // Scroll to the notice only when it says more than the fields already show.
        setProblem({ title: pick(e.body), issues: rest, scroll: rest.length > 0 });
      } else if (e instanceof ApiError) setProblem({ title: pick(e.body), issues: [], scroll: true });
      else setProblem({ title: String(e), issues: [], scroll: true });
      return undefined;
    } finally {
      setSaving(false);
    }
  }
  const reset = () => {
    setConflict(null);
    setProblem(null);
  };
  return { save, saving, conflict, problem, reset };
}
