// 问卷导入: the template (the sample with empty answers) and the upload of a filled one; all or
// nothing — a refusal lists every problem with its row and column.
import { useState } from 'react';
import { Alert, Button, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, fileForm, saveBlob, type ApiIssue } from '../api/client';
import { pick } from '../i18n';
import type { PlanView, SurveyImportResult } from './types';

export default function ImportTab({ plan, canSurvey, onImported }: { plan: PlanView; canSurvey: boolean; onImported: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'download' | 'upload' | null>(null);
  const [result, setResult] = useState<SurveyImportResult | null>(null);
  const [problem, setProblem] = useState<{ title: string; issues: ApiIssue[] } | null>(null);
  const id = plan.id;

  const download = async () => {
    setBusy('download');
    setProblem(null);
    try {
      const r = await api.GET('/api/v1/assessment/plans/{id}/surveys.xlsx', { params: { path: { id } }, parseAs: 'blob' });
      if (r.response.ok) saveBlob(r.data as Blob, r.response, `评估问卷-计划${id}.xlsx`);
      else await call(Promise.resolve(r));
    } catch (e) {
      setProblem(e instanceof ApiError ? { title: pick(e.body), issues: e.issues } : { title: t('common.unexpected'), issues: [] });
    } finally {
      setBusy(null);
    }
  };
  const upload = async () => {
    if (!file) return;
    setBusy('upload');
    setProblem(null);
    setResult(null);
    try {
      setResult(await call<SurveyImportResult>(api.POST('/api/v1/assessment/plans/{id}/surveys/import', {
        params: { path: { id } },
        body: fileForm(file, file.name) as never,
        bodySerializer: (b: unknown) => b as FormData,
      })));
      setFile(null);
      onImported();
    } catch (e) {
      setProblem(e instanceof ApiError ? { title: pick(e.body), issues: e.issues } : { title: t('common.unexpected'), issues: [] });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="import-tab">
      <Typography.Paragraph type="secondary">{t('assessment.importHelp')}</Typography.Paragraph>
      <Space wrap align="start">
        <Button icon={<DownloadOutlined />} loading={busy === 'download'} onClick={() => void download()} data-testid="survey-template">{t('assessment.template')}</Button>
        {canSurvey && plan.status === 'drawn' && (
          <>
            <Upload accept=".xlsx,.csv" maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)} fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}>
              <Button icon={<UploadOutlined />} data-testid="survey-choose">{t('assessment.chooseFile')}</Button>
            </Upload>
            <Button type="primary" disabled={!file} loading={busy === 'upload'} onClick={() => void upload()} data-testid="survey-upload">{t('assessment.upload')}</Button>
          </>
        )}
      </Space>
      {canSurvey && plan.status !== 'drawn' && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('assessment.importOnlyDrawn')} />}
      {result && <Alert type="success" showIcon style={{ marginTop: 12 }} data-testid="import-result" title={t('assessment.imported', { rows: result.rows, created: result.created, updated: result.updated, unchanged: result.unchanged })} />}
      {problem && (
        <div style={{ marginTop: 12 }}>
          <Alert type="error" showIcon title={problem.title} description={problem.issues.length ? t('assessment.importErrors', { n: problem.issues.length }) : undefined} data-testid="import-problem" />
          {problem.issues.length > 0 && (
            <Table<ApiIssue>
              size="small"
              rowKey={(_, i) => String(i)}
              dataSource={problem.issues}
              pagination={problem.issues.length > 20 ? { pageSize: 20 } : false}
              style={{ marginTop: 8 }}
              data-testid="import-issues"
              columns={[
                { key: 'row', title: t('assessment.row'), dataIndex: 'row', width: 70 },
                { key: 'column', title: t('assessment.column'), render: (_, i) => i.column ?? i.field },
                { key: 'value', title: t('assessment.value'), render: (_, i) => i.value ?? '' },
                { key: 'reason', title: t('assessment.reason'), render: (_, i) => pick(i) },
              ]}
            />
          )}
        </div>
      )}
    </div>
  );
}
