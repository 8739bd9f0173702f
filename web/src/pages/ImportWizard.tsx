// 导入: upload → check (dry run: every error by row and column) → fix and re-upload → confirm → done.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Progress, Result, Select, Space, Steps, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, fileForm, saveBlob, type ApiErrorBody } from '../api/client';
import type { ImportIssue, ImportResult } from '../api/types';
import { pick } from '../i18n';
import { fmtInt } from '../links';

type Phase = 'idle' | 'checking' | 'checked' | 'importing' | 'done';

async function send(file: File, dryRun: boolean): Promise<ImportResult> {
  let r;
  try {
    r = await api.POST('/api/v1/imports', {
      params: { query: { dryRun: dryRun ? 'true' : 'false' } },
      body: fileForm(file, file.name) as never,
      bodySerializer: (b: unknown) => b,
    });
  } catch {
    throw new ApiError(0, { code: 'network', zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server; check the connection and try again' });
  }
  // 422: the file was read and rejected; the answer is the full result with every issue.
  if (r.response.status === 422) return r.error as unknown as ImportResult;
  if (!r.response.ok) {
    const body = (r.error as { error?: ApiErrorBody } | undefined)?.error;
    throw new ApiError(r.response.status, body ?? { code: 'http', zh: `服务器返回错误（${r.response.status}）`, en: `The server answered ${r.response.status}` });
  }
  return r.data as unknown as ImportResult;
}

function useElapsed(running: boolean): number {
  const [s, setS] = useState(0);
  const started = useRef(0);
  useEffect(() => {
    if (!running) return;
    started.current = Date.now();
    setS(0);
    const id = setInterval(() => setS(Math.round((Date.now() - started.current) / 1000)), 500);
    return () => clearInterval(id);
  }, [running]);
  return s;
}

export default function ImportWizard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<{ title: string; issues: ImportIssue[] } | null>(null);
  const [column, setColumn] = useState<string | undefined>();
  const busy = phase === 'checking' || phase === 'importing';
  const elapsed = useElapsed(busy);

  const check = async (f: File) => {
    setFile(f);
    setResult(null);
    setFailure(null);
    setColumn(undefined);
    setPhase('checking');
    try {
      setResult(await send(f, true));
      setPhase('checked');
    } catch (e) {
      const body = e instanceof ApiError ? e.body : { code: 'x', zh: String(e), en: String(e) };
      setFailure({ title: pick(body), issues: body.issues ?? [] });
      setPhase('checked');
    }
  };

  const confirm = async () => {
    if (!file) return;
    setPhase('importing');
    try {
      const r = await send(file, false);
      setResult(r);
      setPhase(r.status === 'imported' ? 'done' : 'checked');
    } catch (e) {
      const body = e instanceof ApiError ? e.body : { code: 'x', zh: String(e), en: String(e) };
      setFailure({ title: pick(body), issues: body.issues ?? [] });
      setPhase('checked');
    }
  };

  const errorWorkbook = async () => {
    if (!file) return;
    const r = await api.POST('/api/v1/imports/error-report', { body: fileForm(file, file.name) as never, bodySerializer: (b: unknown) => b, parseAs: 'blob' });
    if (!r.response.ok) {
      message.error(t('import.reportFailed'));
      return;
    }
    saveBlob(r.data as unknown as Blob, r.response, `${file.name.replace(/\.[^.]+$/, '')}-错误报告.xlsx`);
  };

  const template = async () => {
    const r = await api.GET('/api/v1/imports/template', { parseAs: 'blob' });
    if (r.response.ok) saveBlob(r.data as unknown as Blob, r.response, '农户导入模板.xlsx');
    else message.error(t('common.unexpected'));
  };

  const issues = failure?.issues ?? result?.issues ?? [];
  const rejected = !!failure || result?.status === 'rejected';
  const columns = [...new Set(issues.map((i) => i.column ?? i.field))].sort();
  const shown = column ? issues.filter((i) => (i.column ?? i.field) === column) : issues;
  const step = phase === 'idle' || phase === 'checking' ? (file ? 1 : 0) : phase === 'checked' ? (rejected ? 1 : 2) : phase === 'importing' ? 2 : 3;

  const uploader = (
    <Upload.Dragger
      accept=".xlsx,.csv"
      multiple={false}
      showUploadList={false}
      disabled={busy}
      beforeUpload={(f) => {
        void check(f as File);
        return false;
      }}
      data-testid="import-upload"
    >
      <p className="ant-upload-drag-icon"><InboxOutlined /></p>
      <p className="ant-upload-text">{file && phase !== 'idle' ? t('import.reupload') : t('import.drop')}</p>
      <p className="ant-upload-hint">{t('import.hint')}</p>
    </Upload.Dragger>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('import.title')}
        extra={<Button icon={<DownloadOutlined />} onClick={template}>{t('import.template')}</Button>}
      >
        <Steps
          current={step}
          status={rejected && phase === 'checked' ? 'error' : undefined}
          items={[{ title: t('import.step.upload') }, { title: t('import.step.check') }, { title: t('import.step.confirm') }, { title: t('import.step.done') }]}
          style={{ marginBottom: 24 }}
        />
        {phase !== 'done' && uploader}
        {file && <Typography.Paragraph style={{ marginTop: 12 }} data-testid="import-file">{t('import.file', { name: file.name, size: (file.size / 1024).toFixed(1) })}</Typography.Paragraph>}
        {busy && (
          <div role="status" aria-live="polite" data-testid="import-progress">
            <Progress percent={100} status="active" showInfo={false} />
            <Typography.Text>{t(phase === 'checking' ? 'import.checking' : 'import.importing', { seconds: elapsed })}</Typography.Text>
          </div>
        )}
      </Card>

      {phase === 'checked' && rejected && (
        <Card data-testid="import-errors">
          <Alert
            type="error"
            showIcon
            role="alert"
            title={failure?.title ?? t('import.rejected', { count: issues.length, rows: result?.rows ?? 0 })}
            description={t('import.rejectedHelp')}
            style={{ marginBottom: 16 }}
          />
          <Space wrap style={{ marginBottom: 12 }}>
            <Button icon={<DownloadOutlined />} onClick={errorWorkbook} data-testid="error-workbook">{t('import.errorWorkbook')}</Button>
            <Select allowClear placeholder={t('import.filterColumn')} aria-label={t('import.filterColumn')} style={{ width: 220 }} value={column} onChange={setColumn} options={columns.map((c) => ({ value: c, label: c }))} />
          </Space>
          <Table<ImportIssue & { key: number }>
            size="small"
            data-testid="import-issues"
            dataSource={shown.map((i, key) => ({ ...i, key }))}
            pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
            scroll={{ x: 700 }}
            columns={[
              { key: 'row', title: t('import.row'), dataIndex: 'row', width: 80, sorter: (a, b) => (a.row ?? 0) - (b.row ?? 0), render: (v?: number) => v ?? '—' },
              { key: 'column', title: t('import.column'), width: 160, render: (_: unknown, i) => i.column ?? i.field },
              { key: 'value', title: t('import.value'), dataIndex: 'value', width: 180, render: (v?: string) => <span className="jz-mono">{v ?? ''}</span> },
              { key: 'message', title: t('import.message'), render: (_: unknown, i) => pick(i) },
            ]}
          />
        </Card>
      )}

      {phase === 'checked' && !rejected && result && (
        <Card data-testid="import-ready">
          <Alert type="success" showIcon title={t('import.valid', { rows: fmtInt(result.rows) })} description={t('import.validHelp')} style={{ marginBottom: 16 }} />
          <Summary r={result} />
          <Space style={{ marginTop: 16 }}>
            <Button type="primary" onClick={confirm} data-testid="import-confirm">{t('import.confirm')}</Button>
            <Button icon={<ReloadOutlined />} onClick={() => { setFile(null); setResult(null); setPhase('idle'); }}>{t('import.another')}</Button>
          </Space>
        </Card>
      )}

      {phase === 'done' && result && (
        <Result
          status="success"
          title={t('import.done', { rows: fmtInt(result.rows) })}
          data-testid="import-done"
          subTitle={<Summary r={result} />}
          extra={[
            <Link key="reg" to="/register"><Button type="primary">{t('import.openRegister')}</Button></Link>,
            <Button key="again" onClick={() => { setFile(null); setResult(null); setPhase('idle'); }}>{t('import.another')}</Button>,
          ]}
        />
      )}
    </Space>
  );
}

function Summary({ r }: { r: ImportResult }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
      <Descriptions.Item label={t('import.households')}>{t('import.hhSummary', { created: fmtInt(r.households.created), updated: fmtInt(r.households.updated), unchanged: fmtInt(r.households.unchanged) })}</Descriptions.Item>
      <Descriptions.Item label={t('import.members')}>{t('import.memberSummary', { created: fmtInt(r.members.created), updated: fmtInt(r.members.updated), deleted: fmtInt(r.members.deleted) })}</Descriptions.Item>
      <Descriptions.Item label={t('import.years')}>{fmtInt(r.years.upserted)}</Descriptions.Item>
    </Descriptions>
  );
}
