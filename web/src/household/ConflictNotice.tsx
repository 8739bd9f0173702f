import { useEffect, useRef } from 'react';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiIssue } from '../api/client';
import { pick } from '../i18n';

/** Brings a notice that appears at the top of a long form into view. */
function useIntoView(enabled = true) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (enabled) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [enabled]);
  return ref;
}

/** 409: someone changed the record after it was read; the edit was not saved. */
export default function ConflictNotice({ message, onReload }: { message: string; onReload: () => void }) {
  const { t } = useTranslation();
  const ref = useIntoView();
  return (
    <div ref={ref}>
      <Alert
        type="warning"
        showIcon
        role="alert"
        data-testid="conflict"
        title={t('edit.conflictTitle')}
        description={<>{message}<br />{t('edit.conflictHelp')}</>}
        action={<Button size="small" onClick={onReload}>{t('edit.reload')}</Button>}
        style={{ marginBottom: 16 }}
      />
    </div>
  );
}

/** The API's refusal: its message, and the reasons that belong to no field of the form. */
export function ProblemNotice({ title, issues, testId, scroll = true }: { title: string; issues: ApiIssue[]; testId?: string; scroll?: boolean }) {
  const ref = useIntoView(scroll);
  return (
    <div ref={ref}>
      <Alert
        type="error"
        showIcon
        role="alert"
        style={{ marginBottom: 16 }}
        title={title}
        data-testid={testId}
        description={issues.length ? <ul style={{ margin: 0, paddingLeft: 18 }}>{issues.map((i, n) => <li key={n}>{pick(i)}</li>)}</ul> : undefined}
      />
    </div>
  );
}
