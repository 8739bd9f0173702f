// The save path shared by the edit forms: field errors onto fields, 409 into a conflict notice.
import { useState } from 'react';
import { App, Form, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HouseholdFile } from '../api/types';
import { useCodes } from '../session';
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

/** What every edit form of the household page is given. */
export interface EditorProps {
  household: HouseholdFile;
  open: boolean;
  onClose: () => void;
  onSaved: (h: HouseholdFile) => void;
  onReload: () => Promise<HouseholdFile | undefined>;
}

/** The pieces every edit form uses: texts, code lists, messages, its form and the save path. */
export function useEditor(fields: readonly string[]) {
  const { t } = useTranslation();
  const codes = useCodes();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  return { t, codes, message, form, ...useSave(form, fields) };
}
