// 政策计算器: medical one-stop settlement, education aid, ecological payments and solar income
// distribution, one tab each (web/src/calculators/). The server computes; every line shows its
// arithmetic and, expanded, the parameters it read with their year, region and source.
import { Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { EcologyCalc, EducationCalc, MedicalCalc, SolarCalc } from '../calculators/forms';

const TABS = ['medical', 'education', 'ecology', 'solar'] as const;
type Tab = (typeof TABS)[number];

export default function Calculators() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(raw ?? '') ? (raw as Tab) : 'medical';
  return (
    <div>
      <Typography.Title level={3}>{t('calc.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('calc.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden={false}
        items={[
          { key: 'medical', label: t('calc.tabs.medical'), children: <MedicalCalc /> },
          { key: 'education', label: t('calc.tabs.education'), children: <EducationCalc /> },
          { key: 'ecology', label: t('calc.tabs.ecology'), children: <EcologyCalc /> },
          { key: 'solar', label: t('calc.tabs.solar'), children: <SolarCalc /> },
        ]}
      />
    </div>
  );
}
