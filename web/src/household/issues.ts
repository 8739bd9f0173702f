// Puts the API's field-level reasons (error.issues) on the form's fields, in the current language.
import type { FormInstance } from 'antd';
import type { ApiIssue } from '../api/client';
import { pick } from '../i18n';

/** `members.0.idNumber` / `household.villageCode` → `idNumber` / `villageCode`. */
export function fieldOf(path: string): string {
  const parts = path.split('.');
  return parts[parts.length - 1] ?? path;
}

/** Marks the known fields; returns the issues that belong to no field of this form. */
export function applyIssues(form: FormInstance, issues: ApiIssue[], fields: readonly string[]): ApiIssue[] {
  const byField = new Map<string, string[]>();
  const rest: ApiIssue[] = [];
  for (const i of issues) {
    const f = fieldOf(i.field);
    if (fields.includes(f)) byField.set(f, [...(byField.get(f) ?? []), pick(i)]);
    else rest.push(i);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  if (byField.size) form.scrollToField([...byField.keys()][0]!);
  return rest;
}
