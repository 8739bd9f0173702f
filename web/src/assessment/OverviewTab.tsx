// 概况: the plan's facts (seed, algorithm, frame digest, who drew and closed it), its members, and the
// lead's actions — add an evaluator, 抽样 (draw and freeze), 重抽 (a new audited plan, with a
// reason), 结束评估 (freeze the results, open correction cases); each asks first and shows the refusal.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { pick } from '../i18n';
import { errorText } from '../projects/errors';
import type { FrameSummary, PlanResults, PlanView } from './types';
import { STATUS_COLOR } from './types';
import { when } from './common';

export default function OverviewTab({ plan, isLead, onChanged }: { plan: PlanView; isLead: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [summary, setSummary] = useState<FrameSummary | null>(null);
  const [username, setUsername] = useState('');
  const [redrawOpen, setRedrawOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [seed, setSeed] = useState('');
  const [check, setCheck] = useState<{ matches: boolean; households: number; recomputedDigest: string; frameDigest: string | null; differences: string[] } | null>(null);

  const run = async (key: string, fn: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
    } finally {
      setBusy(null);
    }
  };
  const id = plan.id;
  // Anyone who may read the plan can re-run the draw from the stored frame and the published seed.
  const verify = () => run('verify', async () => {
    setCheck(await call(api.GET('/api/v1/assessment/plans/{id}/verify', { params: { path: { id } } })));
  });
  const draw = () => modal.confirm({
    title: t('assessment.drawConfirmTitle'),
    content: t('assessment.drawConfirm', { seed: plan.seed }),
    okText: t('assessment.draw'),
    cancelText: t('common.cancel'),
    onOk: () => run('draw', async () => {
      const r = await call<PlanView & { frameSummary: FrameSummary }>(api.POST('/api/v1/assessment/plans/{id}/draw', { params: { path: { id } } }));
      setSummary(r.frameSummary);
      message.success(t('assessment.drawn', { n: r.samples }));
      onChanged();
    }),
  });
  const close = () => modal.confirm({
    title: t('assessment.closeConfirmTitle'),
    content: t('assessment.closeConfirm'),
    okText: t('assessment.close'),
    okButtonProps: { danger: true },
    cancelText: t('common.cancel'),
    onOk: () => run('close', async () => {
      const r = await call<{ plan: PlanView; results: PlanResults; casesOpened: number }>(api.POST('/api/v1/assessment/plans/{id}/close', { params: { path: { id } } }));
      message.success(t('assessment.closed', { n: r.casesOpened }));
      onChanged();
    }),
  });
  const redraw = () => run('redraw', async () => {
    const r = await call<PlanView>(api.POST('/api/v1/assessment/plans/{id}/redraw', { params: { path: { id } }, body: { reason: reason.trim(), ...(seed.trim() ? { seed: seed.trim() } : {}) } }));
    setRedrawOpen(false);
    message.success(t('assessment.redrawn', { id: r.id }));
    navigate(`/assessment/${r.id}`);
  });
  const addMember = () => run('member', async () => {
    await call<PlanView>(api.POST('/api/v1/assessment/plans/{id}/members', { params: { path: { id } }, body: { username: username.trim() } }));
    setUsername('');
    message.success(t('assessment.memberAdded'));
    onChanged();
  });
  const s = plan.sizes;
  const open = plan.status === 'draft' || plan.status === 'drawn';

  return (
    <div data-testid="plan-overview">
      {error && <Alert type="error" showIcon closable title={error} style={{ marginBottom: 12 }} data-testid="plan-error" onClose={() => setError(null)} />}
      {isLead && (
        <Space wrap style={{ marginBottom: 12 }}>
          {plan.status === 'draft' && <Button type="primary" loading={busy === 'draw'} onClick={draw} data-testid="plan-draw">{t('assessment.draw')}</Button>}
          {plan.status !== 'superseded' && <Button loading={busy === 'redraw'} onClick={() => { setReason(''); setSeed(''); setRedrawOpen(true); }} data-testid="plan-redraw">{t('assessment.redraw')}</Button>}
          {plan.status === 'drawn' && <Button danger loading={busy === 'close'} onClick={close} data-testid="plan-close">{t('assessment.close')}</Button>}
        </Space>
      )}
      {summary && (
        <Alert
          type="info" showIcon closable style={{ marginBottom: 12 }} data-testid="frame-summary"
          title={t('assessment.frameSummary', { villages: summary.villages, households: summary.registerHouseholds })}
          description={
            <>
              <div>{pick(summary.poorRule)}</div>
              {summary.missingPopulation.length > 0 && <div>{t('assessment.missingPopulation', { list: summary.missingPopulation.join('、') })}</div>}
              {summary.villageStrata.filter((v) => v.capped).map((v) => <div key={v.stratum}>{t('assessment.cappedVillages', { stratum: v.stratum, n: v.populationSize, asked: v.requestedSize })}</div>)}
              {summary.cappedHouseholdStrata.length > 0 && <div>{t('assessment.cappedHouseholds', { n: summary.cappedHouseholdStrata.length })}</div>}
            </>
          }
        />
      )}
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} data-testid="plan-facts">
        <Descriptions.Item label={t('assessment.planNo')}>{plan.id}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.status')}><Tag color={STATUS_COLOR[plan.status]}>{pick(plan.statusLabel)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('assessment.county')}>{plan.countyName}（{plan.countyCode}）</Descriptions.Item>
        <Descriptions.Item label={t('assessment.year')}>{plan.year}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.seed')} span={2}><Typography.Text code copyable data-testid="plan-seed">{plan.seed}</Typography.Text></Descriptions.Item>
        <Descriptions.Item label={t('assessment.algorithm')} span={2}><Typography.Text code>{plan.algorithm}</Typography.Text></Descriptions.Item>
        <Descriptions.Item label={t('assessment.frameDigest')} span={2}>
          {plan.frameDigest ? (
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>{plan.frameDigest}</Typography.Text>
              <Space wrap>
                <Button size="small" loading={busy === 'verify'} onClick={() => void verify()} data-testid="plan-verify">{t('assessment.verify')}</Button>
                <Typography.Link href={`/api/v1/assessment/plans/${id}/frame`} target="_blank">{t('assessment.frameExport')}</Typography.Link>
              </Space>
              {check && (
                <Alert type={check.matches ? 'success' : 'error'} showIcon data-testid="plan-verify-result"
                  title={check.matches ? t('assessment.verified', { n: check.households }) : t('assessment.verifyMismatch')}
                  description={check.matches ? undefined : check.differences.slice(0, 10).join('；')} />
              )}
            </Space>
          ) : t('assessment.notDrawn')}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.sizesVillages')}>{t('assessment.villageSizes', { poor: s.villages.poor, nonPoor: s.villages.nonPoor })}{Object.keys(s.villageOverrides).length > 0 && `；${Object.entries(s.villageOverrides).map(([k, v]) => `${k}=${v}`).join('，')}`}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.sizesHouseholds')}>{t('assessment.householdSizes', { exited: s.households.exited, remaining: s.households.remaining, nonRegistered: s.households.nonRegistered })}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.counts')} span={2}>{t('assessment.countsText', { villages: plan.villages, samples: plan.samples, surveys: plan.surveys })}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.createdBy')}>{plan.createdBy} · {when(plan.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.drawnBy')}>{plan.drawnBy ? `${plan.drawnBy} · ${when(plan.drawnAt)}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.closedBy')}>{plan.closedBy ? `${plan.closedBy} · ${when(plan.closedAt)}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.lineage')}>
          {plan.replacesPlanId && <div><Link to={`/assessment/${plan.replacesPlanId}`}>{t('assessment.replaces', { id: plan.replacesPlanId })}</Link></div>}
          {plan.replacedByPlanId && <div><Link to={`/assessment/${plan.replacedByPlanId}`}>{t('assessment.replacedBy', { id: plan.replacedByPlanId })}</Link></div>}
          {!plan.replacesPlanId && !plan.replacedByPlanId && '—'}
        </Descriptions.Item>
        {plan.poorVillages && <Descriptions.Item label={t('assessment.poorVillages')} span={2}>{plan.poorVillages.join('、')}</Descriptions.Item>}
      </Descriptions>

      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('assessment.members')}</Typography.Title>
      <Table
        rowKey="userId"
        size="small"
        pagination={false}
        dataSource={plan.members}
        data-testid="plan-members"
        columns={[
          { key: 'username', title: t('assessment.username'), dataIndex: 'username' },
          { key: 'displayName', title: t('assessment.displayName'), dataIndex: 'displayName' },
          { key: 'role', title: t('assessment.role'), render: (_, m) => pick(m.roleLabel) },
          { key: 'memberRole', title: t('assessment.memberRole'), render: (_, m) => <Tag color={m.memberRole === 'lead' ? 'blue' : undefined}>{t(`assessment.memberRoles.${m.memberRole}`)}</Tag> },
        ]}
      />
      {isLead && open && (
        <Space.Compact style={{ marginTop: 8, maxWidth: 420, width: '100%' }}>
          <Input aria-label={t('assessment.addMemberPlaceholder')} placeholder={t('assessment.addMemberPlaceholder')} value={username} onChange={(e) => setUsername(e.target.value)} onPressEnter={() => username.trim() && void addMember()} data-testid="member-username" />
          <Button type="primary" disabled={!username.trim()} loading={busy === 'member'} onClick={() => void addMember()} data-testid="member-add">{t('assessment.addMember')}</Button>
        </Space.Compact>
      )}

      <Modal open={redrawOpen} title={t('assessment.redrawTitle')} onCancel={() => setRedrawOpen(false)} okText={t('assessment.redraw')} cancelText={t('common.cancel')} okButtonProps={{ disabled: !reason.trim(), loading: busy === 'redraw' }} onOk={() => void redraw()} destroyOnHidden>
        <Typography.Paragraph type="secondary">{t('assessment.redrawHelp')}</Typography.Paragraph>
        {error && redrawOpen && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form layout="vertical">
          <Form.Item label={t('assessment.redrawReason')} required><Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="redraw-reason" /></Form.Item>
          <Form.Item label={t('assessment.seed')} extra={t('assessment.seedHint')}><Input value={seed} onChange={(e) => setSeed(e.target.value)} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
