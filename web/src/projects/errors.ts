// The text of a refusal: the server's message, then each field's reason not already said.
import { ApiError } from '../api/client';
import { pick } from '../i18n';

export function errorText(e: unknown, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  const head = pick(e.body);
  const issues = e.issues.map(pick).filter((m) => m !== head);
  return [head, ...issues].join('；');
}
