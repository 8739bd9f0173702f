// ECharts options of the measurement charts, built from plain values (no React, no i18n here:
// the caller passes the texts). Percentages are drawn as 0–100 with 2 decimals.
import type { EChartsCoreOption } from 'echarts/core';
import { chartValue, fmtIndex, fmtInt, fmtYuan, type Kind } from './format';

export const COLORS = ['#c0392b', '#e67e22', '#2980b9', '#27ae60', '#8e44ad', '#16a085', '#7f8c8d', '#d35400'];
export const LINE_COLOR = '#c0392b';

function formatter(kind: Kind) {
  return (v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
    if (kind === 'pct') return `${v.toFixed(2)}%`;
    if (kind === 'index') return fmtIndex(v);
    if (kind === 'yuan') return fmtYuan(v);
    return fmtInt(v);
  };
}

/** Beyond this many areas or groups the bars lie down, one row each, so every name is readable. */
export const MAX_UPRIGHT = 12;

/** A chart's height for `n` categories: 320 px upright, a row of 20 px each when lying down. */
export function chartHeight(n: number): number {
  return n > MAX_UPRIGHT ? Math.min(2000, 90 + n * 20) : 320;
}

/** The category axis and value axes, upright (names along x) or lying down (names down y, first on top). */
function axes(names: string[], values: Record<string, unknown>[]) {
  const lying = names.length > MAX_UPRIGHT;
  const category = lying
    ? { type: 'category', data: names, inverse: true, axisLabel: { interval: 0, width: 110, overflow: 'truncate' } }
    : { type: 'category', data: names, axisLabel: { rotate: names.length > 6 ? 40 : 0, interval: 0 } };
  const valueAxes = values.map((v, i) => ({ type: 'value', ...v, ...(lying && i === 1 ? { position: 'top' } : {}) }));
  return {
    lying,
    grid: lying
      ? { left: 120, right: 40, top: values.length > 1 ? 64 : 40, bottom: 32 }
      : { left: 64, right: values.length > 1 ? 64 : 24, top: 48, bottom: names.length > 6 ? 80 : 40 },
    xAxis: lying ? valueAxes : category,
    yAxis: lying ? category : valueAxes,
    /** the key naming a series' value axis */
    index: lying ? 'xAxisIndex' : 'yAxisIndex',
  };
}

function axisName(kind: Kind, name: string): string {
  return kind === 'pct' ? `${name}（%）` : name;
}

export interface Series {
  name: string;
  kind: Kind;
  values: (number | null | undefined)[];
  type?: 'line' | 'bar';
  /** 0: left axis, 1: right axis */
  axis?: 0 | 1;
  color?: string;
  step?: boolean;
  dashed?: boolean;
}

/** Years along x, one or two value axes. */
export function trendOption(years: number[], series: Series[], axes: [string, string?]): EChartsCoreOption {
  const two = series.some((s) => s.axis === 1);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 64, right: two ? 64 : 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: years.map(String) },
    yAxis: [
      { type: 'value', name: axes[0], nameTextStyle: { align: 'left' } },
      ...(two ? [{ type: 'value', name: axes[1] ?? '', splitLine: { show: false }, nameTextStyle: { align: 'right' } }] : []),
    ],
    series: series.map((s, i) => ({
      type: s.type ?? 'line',
      name: s.name,
      yAxisIndex: s.axis ?? 0,
      data: s.values.map((v) => chartValue(s.kind, v)),
      itemStyle: { color: s.color ?? COLORS[i % COLORS.length] },
      lineStyle: s.dashed ? { type: 'dashed' } : undefined,
      step: s.step ? 'middle' : undefined,
      connectNulls: false,
      tooltip: { valueFormatter: formatter(s.kind) },
    })),
  };
}

/** Child areas (or groups) as bars, largest first as given; a second series on the other value axis if any. */
export function barsOption(names: string[], main: Series, second?: Series, clickable = false): EChartsCoreOption {
  const a = axes(names, [{ name: axisName(main.kind, main.name) }, ...(second ? [{ name: axisName(second.kind, second.name), splitLine: { show: false } }] : [])]);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: a.grid,
    xAxis: a.xAxis,
    yAxis: a.yAxis,
    series: [
      { type: 'bar', name: main.name, data: main.values.map((v) => chartValue(main.kind, v)), itemStyle: { color: main.color ?? COLORS[2] }, cursor: clickable ? 'pointer' : 'default', tooltip: { valueFormatter: formatter(main.kind) } },
      ...(second ? [{
        type: second.type ?? 'line', name: second.name, [a.index]: 1, data: second.values.map((v) => chartValue(second.kind, v)), itemStyle: { color: second.color ?? COLORS[1] },
        lineStyle: { width: 0 }, symbol: 'circle', symbolSize: 8, tooltip: { valueFormatter: formatter(second.kind) },
      }] : []),
    ],
  };
}

export interface Bin {
  from: number | null;
  to: number | null;
  people: number;
  /** null: a bin of fewer than 5 households, hidden from readers of aggregates only */
  registeredPoorPeople: number | null;
}

export interface Marker {
  name: string;
  value: number;
  color: string;
}

/**
 * The histogram as step areas on a value axis, so the poverty line, mean and median are marked at
 * their exact incomes: people below the line in red, the rest in blue, the registered poor as a
 * dashed step line. Open end bins are drawn one width wide.
 */
export function distributionOption(bins: Bin[], width: number, line: number | null, markers: Marker[], texts: { below: string; above: string; all: string; registered: string; people: string; income: string }): EChartsCoreOption {
  // The open first bin is drawn from 0 (or one width down when it ends at or below 0).
  const from = (b: Bin) => b.from ?? ((b.to ?? width) > 0 ? Math.max(0, (b.to ?? width) - width) : (b.to ?? width) - width);
  const to = (b: Bin) => b.to ?? from(b) + width;
  const steps = (list: Bin[], pick: (b: Bin) => number | null) => {
    const pts: [number, number | null][] = list.map((b) => [from(b), pick(b)]);
    const last = list[list.length - 1];
    if (last) pts.push([to(last), pick(last)]);
    return pts;
  };
  const below = line === null ? [] : bins.filter((b) => b.to !== null && b.to <= line);
  const above = line === null ? bins : bins.filter((b) => !(b.to !== null && b.to <= line));
  const area = (name: string, list: Bin[], color: string) => ({
    type: 'line', name, step: 'end', symbol: 'none', data: steps(list, (b) => b.people),
    areaStyle: { color, opacity: 0.35 }, lineStyle: { color, width: 1.5 }, itemStyle: { color },
  });
  // Each marker is a series of its own with one mark line, so the legend names it with its value;
  // only the poverty line is labelled on the chart (the mean and median are often a few yuan apart).
  const marks = markers.map((m) => ({
    type: 'line', name: `${m.name} ${fmtYuan(m.value)}`, data: [], symbol: 'none', itemStyle: { color: m.color }, lineStyle: { color: m.color, type: m.color === LINE_COLOR ? 'solid' : 'dashed' },
    markLine: {
      symbol: 'none', silent: true,
      data: [{ xAxis: m.value, lineStyle: { color: m.color, type: m.color === LINE_COLOR ? 'solid' : 'dashed', width: 2 }, label: m.color === LINE_COLOR ? { formatter: `${m.name} ${fmtYuan(m.value)}`, color: m.color, position: 'insideEndTop' } : { show: false } }],
    },
  }));
  const series = [
    ...(below.length ? [area(texts.below, below, LINE_COLOR)] : []),
    area(line === null ? texts.all : texts.above, above, COLORS[2]!),
    { type: 'line', name: texts.registered, step: 'end', symbol: 'none', data: steps(bins, (b) => b.registeredPoorPeople), lineStyle: { color: '#8e44ad', type: 'dashed', width: 1.5 }, itemStyle: { color: '#8e44ad' } },
    ...marks,
  ];
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { axisValue?: number | string }[]) => {
        const x = Number(ps[0]?.axisValue);
        const b = bins.find((bin) => x >= from(bin) && x < to(bin)) ?? bins[bins.length - 1];
        if (!b) return '';
        const range = b.from === null ? `< ${fmtYuan(b.to)}` : b.to === null ? `≥ ${fmtYuan(b.from)}` : `${fmtYuan(b.from)} – ${fmtYuan(b.to)}`;
        return `${texts.income}: ${range}<br/>${texts.people}: ${fmtInt(b.people)}<br/>${texts.registered}: ${fmtInt(b.registeredPoorPeople)}`;
      },
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 64, right: 32, top: 48, bottom: 40 },
    xAxis: { type: 'value', name: texts.income, nameLocation: 'middle', nameGap: 26, min: bins.length ? from(bins[0]!) : 0, max: bins.length ? to(bins[bins.length - 1]!) : undefined },
    yAxis: { type: 'value', name: texts.people },
    series,
  };
}

/** Income per person by component, stacked (costs below zero), with the line across. */
export function compositionOption(names: string[], parts: Series[], line: number | null, lineName: string, net: Series, unit: string): EChartsCoreOption {
  const a = axes(names, [{ name: unit }]);
  const at = a.lying ? 'xAxis' : 'yAxis';
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    grid: { ...a.grid, top: 56 },
    xAxis: a.xAxis,
    yAxis: a.yAxis,
    series: [
      ...parts.map((p, i) => ({
        type: 'bar', name: p.name, stack: 'income', cursor: 'pointer', data: p.values.map((v) => chartValue('yuan', v)),
        itemStyle: { color: p.color ?? COLORS[(i + 2) % COLORS.length] }, tooltip: { valueFormatter: formatter('yuan') },
        ...(i === 0 && line !== null ? { markLine: { symbol: 'none', silent: true, data: [{ [at]: line, name: lineName, lineStyle: { color: LINE_COLOR, width: 2 }, label: { formatter: `${lineName} ${fmtYuan(line)}`, position: 'insideEndTop', color: LINE_COLOR } }] } } : {}),
      })),
      { type: 'line', name: net.name, data: net.values.map((v) => chartValue('yuan', v)), itemStyle: { color: '#2c3e50' }, lineStyle: { width: 0 }, symbol: 'diamond', symbolSize: 10, tooltip: { valueFormatter: formatter('yuan') } },
    ],
  };
}

/** Uncensored and censored headcount ratios by indicator (bars) with each one's share of M0 (dots). */
export function mpiIndicatorsOption(names: string[], uncensored: Series, censored: Series, share: Series): EChartsCoreOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 64, right: 64, top: 48, bottom: 80 },
    xAxis: { type: 'category', data: names, axisLabel: { rotate: 30, interval: 0 } },
    yAxis: [{ type: 'value', name: '%' }, { type: 'value', name: axisName('pct', share.name), splitLine: { show: false }, max: 100 }],
    series: [
      { type: 'bar', name: uncensored.name, data: uncensored.values.map((v) => chartValue('pct', v)), itemStyle: { color: '#95a5a6' }, tooltip: { valueFormatter: formatter('pct') } },
      { type: 'bar', name: censored.name, data: censored.values.map((v) => chartValue('pct', v)), itemStyle: { color: COLORS[1] }, tooltip: { valueFormatter: formatter('pct') } },
      { type: 'line', name: share.name, yAxisIndex: 1, data: share.values.map((v) => chartValue('pct', v)), itemStyle: { color: LINE_COLOR }, lineStyle: { width: 0 }, symbol: 'circle', symbolSize: 10, tooltip: { valueFormatter: formatter('pct') } },
    ],
  };
}

/** M0 of each area as a stack of its indicators' contributions w_j·h_j(k). */
export function stackedOption(names: string[], parts: Series[], kind: Kind, clickable: boolean): EChartsCoreOption {
  const a = axes(names, [{}]);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    grid: { ...a.grid, top: 56 },
    xAxis: a.xAxis,
    yAxis: a.yAxis,
    series: parts.map((p, i) => ({
      type: 'bar', name: p.name, stack: 'total', data: p.values.map((v) => chartValue(kind, v)), cursor: clickable ? 'pointer' : 'default',
      itemStyle: { color: p.color ?? COLORS[i % COLORS.length] }, tooltip: { valueFormatter: formatter(kind) },
    })),
  };
}
