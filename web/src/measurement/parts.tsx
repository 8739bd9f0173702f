// Small pieces shared by the measurement tabs: what every tab receives, the headline cards and a
// figure that opens the households behind it.
import type { ReactNode } from 'react';
import { Button, Card, Col, Statistic } from 'antd';
import type { Figure } from './types';
import type { AreaFigures, Indicators } from './types';

export interface TabContext {
  data: Indicators;
  /** the chosen year's figures of the area */
  f: AreaFigures;
  year: number;
  /** open a child area */
  go: (code: string) => void;
  setYear: (year: number) => void;
  /** open the households behind a figure; null for roles that may not read the register */
  ask: ((figure: Figure, title: string) => void) | null;
  /** a CSV file name for a table of this area and year */
  file: (table: string) => string;
}

/** A number that opens its households when the role may read the register. */
export function FigureValue({ text, figure, title, ask, testId }: { text: string; figure?: Figure; title: string; ask: TabContext['ask']; testId: string }) {
  if (!figure || !ask) return <span data-testid={testId}>{text}</span>;
  return (
    <Button type="link" size="small" style={{ padding: 0, height: 'auto', fontSize: 'inherit', fontWeight: 'inherit' }} onClick={() => ask(figure, title)} data-testid={testId} aria-label={`${title} ${text}`}>
      {text}
    </Button>
  );
}

export function StatCard({ title, text, testId, sub, figure, ask, tip }: { title: string; text: string; testId: string; sub?: ReactNode; figure?: Figure; ask: TabContext['ask']; tip?: string }) {
  return (
    <Col xs={24} sm={12} xl={6}>
      <Card className="jz-stat" size="small" data-testid={`card-${testId}`}>
        <Statistic title={<span title={tip}>{title}</span>} value={text} formatter={() => <FigureValue text={text} figure={figure} title={title} ask={ask} testId={`stat-${testId}`} />} />
        {sub && <div className="jz-sub">{sub}</div>}
      </Card>
    </Col>
  );
}
