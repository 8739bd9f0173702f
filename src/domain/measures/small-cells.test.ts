import { describe, expect, it } from 'vitest';
import { cellsToHide } from './small-cells.js';

describe('cellsToHide', () => {
  it('hides cells under 5 households and, when only one would be hidden, the smallest other', () => {
    expect([...cellsToHide([3, 50, 200])].sort()).toEqual([0, 1]);
    expect([...cellsToHide([3, 4, 200])].sort()).toEqual([0, 1]);
    expect([...cellsToHide([5, 50, 200])]).toEqual([]);
    expect([...cellsToHide([2])]).toEqual([0]);
  });
});
