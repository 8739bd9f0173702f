// 账号: accounts in the actor's area; create one (server checks role, area and password rules).
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { UserView } from '../api/types';
import { useCodes, useSession } from '../session';
import { pick } from '../i18n';
import { useSave } from '../household/useSave';

const FIELDS = ['username', 'displayName', 'password', 'role', 'areaCode'] as const;

export default function AdminAccounts() {
  const { t } = useTranslation();
  const { me } = useSession();
  const codes = useCodes();
  const { message } = App.useApp();
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { save, saving, problem, conflict, reset } = useSave(form, FIELDS);

  const load = useCallback(async () => {
    setUsers((await call<{ items: UserView[] }>(api.GET('/api/v1/users'))).items);
  }, []);
  useEffect(() => {
    void load().catch(() => setUsers([]));
  }, [load]);

  const submit = async (v: { username: string; displayName?: string; password: string; role: string; areaCode: string }) => {
    const created = await save(() => call<UserView>(api.POST('/api/v1/users', { body: { ...v, username: v.username.trim(), areaCode: v.areaCode.trim() } })));
    if (created) {
      message.success(t('accounts.created', { username: created.username }));
      setOpen(false);
      void load();
    }
  };

  return (
    <Card
      title={t('nav.accounts')}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); form.setFieldsValue({ areaCode: me?.user.areaCode }); reset(); setOpen(true); }}>{t('accounts.new')}</Button>}
    >
      <Table<UserView>
        rowKey="id"
        size="small"
        loading={!users}
        dataSource={users ?? []}
        scroll={{ x: 700 }}
        columns={[
          { key: 'u', title: t('accounts.username'), dataIndex: 'username' },
          { key: 'd', title: t('accounts.displayName'), dataIndex: 'displayName' },
          { key: 'r', title: t('accounts.role'), render: (_: unknown, u) => pick(u.roleLabel) },
          { key: 'a', title: t('accounts.area'), render: (_: unknown, u) => `${u.areaName ?? ''} ${u.areaCode}` },
          { key: 's', title: t('accounts.state'), dataIndex: 'disabled', render: (v: boolean) => (v ? <Tag>{t('accounts.disabled')}</Tag> : <Tag color="green">{t('accounts.active')}</Tag>) },
        ]}
      />
      <Modal open={open} title={t('accounts.new')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        {(problem || conflict) && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problem?.title ?? conflict?.message} description={problem?.issues.length ? problem.issues.map((i) => pick(i)).join('；') : undefined} />}
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="username" label={t('accounts.username')} rules={[{ required: true, message: t('edit.required') }]}><Input autoComplete="off" /></Form.Item>
          <Form.Item name="displayName" label={t('accounts.displayName')}><Input /></Form.Item>
          <Form.Item name="password" label={t('accounts.password')} extra={t('accounts.passwordRule')} rules={[{ required: true, message: t('edit.required') }]}><Input.Password autoComplete="new-password" /></Form.Item>
          <Form.Item name="role" label={t('accounts.role')} rules={[{ required: true, message: t('edit.required') }]}><Select options={codes.roleOptions()} /></Form.Item>
          <Form.Item name="areaCode" label={t('accounts.area')} extra={t('accounts.areaHelp')} rules={[{ required: true, message: t('edit.required') }]}><Input inputMode="numeric" maxLength={12} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
