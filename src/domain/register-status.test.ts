import { describe, expect, it } from 'vitest';
import { currentYear, procedureForStatus, sentStatusIssues, statusChangeIssues, yearStatusIssue } from './register-status.js';

const stored = { exitStatus: '0', identifiedOn: '2014-05-01', exitYear: null };

describe('status fields set by procedures', () => {
  it('names the procedure that reaches each 脱贫标志', () => {
    expect(['0', '1', '3', '4'].map(procedureForStatus)).toEqual(['identification', 'household_exit', 'monitoring', 'household_exit']);
  });

  it('reports only the fields that differ, with the stored and the sent value', () => {
    expect(statusChangeIssues(stored, { ...stored }, { via: 'edit' })).toEqual([]);
    const issues = statusChangeIssues(stored, { exitStatus: '1', identifiedOn: '2014-05-01', exitYear: 2019 }, { via: 'import', householdNo: 'H1', rows: { exitStatus: 9, exitYear: 7 } });
    expect(issues.map((i) => [i.field, i.column, i.row, i.value])).toEqual([['exitStatus', '脱贫标志', 9, '1'], ['exitYear', '脱贫年度', 7, '2019']]);
    expect(issues[0]!.zh).toBe(
      '户编号 H1 「脱贫标志」由识别、退出和监测程序决定，不能直接修改（登记为 未脱贫 (0)，提交的是 已脱贫(享受政策) (1)）；请在文件中改回登记的值后重新导入；如该户情况确有变化，请在系统中对该户发起“贫困户脱贫退出”程序',
    );
  });

  it('reads sent values like the importer (labels, date forms) before comparing', () => {
    expect(sentStatusIssues(stored, { exitStatus: '未脱贫', identifiedOn: '2014/5/1' })).toEqual([]);
    expect(sentStatusIssues(stored, { groupName: '一组' })).toEqual([]);
    const [bad] = sentStatusIssues(stored, { exitYear: 1999 });
    expect(bad!.field).toBe('exitYear');
    expect(bad!.zh).not.toContain('程序');
  });

  it('a past year may say anything; this year must agree with the household unless it keeps what it said', () => {
    const today = new Date('2026-03-01T02:00:00Z');
    expect(currentYear(new Date('2025-12-31T17:00:00Z'))).toBe(2026); // 01:00 on 1 January in China
    expect(yearStatusIssue(2025, '0', '0', '1', today)).toBeNull();
    expect(yearStatusIssue(2026, '1', null, '1', today)).toBeNull();
    expect(yearStatusIssue(2026, '1', '0', '0', today)).toBeNull();
    const issue = yearStatusIssue(2026, '0', null, '3', today);
    expect(issue).toMatchObject({ field: 'status', value: '3' });
    expect(issue!.zh).toContain('“防返贫监测”程序');
  });
});
