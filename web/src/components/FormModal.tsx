// A modal form that sends its values and puts the server's reasons on the fields (the pairing and
// links pages' add/edit forms): fields reset when it opens, the refusal is shown above the form.
import { useEffect, useState, type ReactNode } from 'react';
import { App, Form, Modal } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, type ApiIssue } from '../api/client';
import { pick } from '../i18n';
import { ProblemNotice } from '../household/ConflictNotice';
import { applyIssues } from '../household/issues';

export default function FormModal({ title, open, onClose, onDone, send, fields, children, initial, testId, savedText }: {
  title: string; open: boolean; onClose: () => void; onDone: () => void; send: (v: Record<string, unknown>) => Promise<unknown>; fields: readonly string[];
  children: (form: FormInstance) => ReactNode; initial?: Record<string, unknown>; testId?: string;
  /** The message shown when the server accepted the form. */
  savedText: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; issues: ApiIssue[] } | null>(null);
  useEffect(() => {
    if (open) { form.resetFields(); setProblem(null); if (initial) form.setFieldsValue(initial); }
  }, [open, form, initial]);
  const ok = async () => {
    setBusy(true);
    setProblem(null);
    form.setFields(fields.map((name) => ({ name, errors: [] })));
    try {
      await send(form.getFieldsValue());
      message.success(savedText);
      onDone();
      onClose();
    } catch (e) {
      if (e instanceof ApiError) setProblem({ title: pick(e.body), issues: applyIssues(form, e.issues, fields) });
      else setProblem({ title: t('common.unexpected'), issues: [] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={title} open={open} onCancel={onClose} onOk={() => void ok()} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={560}>
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} scroll={false} />}
      <Form form={form} layout="vertical" data-testid={testId}>{children(form)}</Form>
    </Modal>
  );
}
