// 区划: browse the divisions in the actor's area, with each area's rural population by year.
import { useEffect, useState } from 'react';
import { Card, Col, Descriptions, Empty, Row, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { AreaDetail } from '../api/types';
import AreaTree from '../components/AreaTree';
import { fmtInt } from '../links';

interface Population {
  areaCode: string;
  year: number;
  ruralPeople: number;
  ruralHouseholds: number;
  synthetic: boolean;
}

export default function AdminAreas() {
  const { t } = useTranslation();
  const [code, setCode] = useState<string | undefined>();
  const [area, setArea] = useState<AreaDetail | null>(null);
  const [pops, setPops] = useState<Population[]>([]);

  useEffect(() => {
    if (!code) return;
    let live = true;
    (async () => {
      const a = await call<AreaDetail>(api.GET('/api/v1/areas/{code}', { params: { path: { code } } }));
      const p = await call<{ items: Population[] }>(api.GET('/api/v1/areas/{code}/populations', { params: { path: { code } } }));
      if (live) {
        setArea(a);
        setPops(p.items);
      }
    })().catch(() => live && setArea(null));
    return () => {
      live = false;
    };
  }, [code]);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('nav.areas')}>
          <AreaTree selected={code} onSelect={(c) => setCode(c)} />
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        <Card size="small" title={area ? `${area.name} ${area.code}` : t('areas.pick')}>
          {!area ? <Empty description={t('areas.pick')} /> : (
            <>
              <Descriptions size="small" column={{ xs: 1, md: 2 }}>
                <Descriptions.Item label={t('areas.code')}>{area.code}</Descriptions.Item>
                <Descriptions.Item label={t('areas.level')}>{t(`areas.levels.${area.level}`)}</Descriptions.Item>
                <Descriptions.Item label={t('areas.path')}>{area.path.map((p) => p.name).join(' / ')}</Descriptions.Item>
                <Descriptions.Item label={t('areas.children')}>{area.childCount}</Descriptions.Item>
                <Descriptions.Item label={t('areas.western')}>{area.isWestern ? t('common.yes') : t('common.no')}</Descriptions.Item>
              </Descriptions>
              <Table<Population>
                size="small"
                rowKey="year"
                pagination={false}
                dataSource={pops}
                locale={{ emptyText: t('areas.noPopulation') }}
                columns={[
                  { key: 'year', title: t('year.year'), dataIndex: 'year' },
                  { key: 'p', title: t('areas.ruralPeople'), dataIndex: 'ruralPeople', align: 'right', render: fmtInt },
                  { key: 'h', title: t('areas.ruralHouseholds'), dataIndex: 'ruralHouseholds', align: 'right', render: fmtInt },
                  { key: 's', title: t('areas.source'), dataIndex: 'synthetic', render: (v: boolean) => (v ? t('areas.synthetic') : t('areas.imported')) },
                ]}
              />
            </>
          )}
        </Card>
      </Col>
    </Row>
  );
}
