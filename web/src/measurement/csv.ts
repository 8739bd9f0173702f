// Tables downloaded as CSV in the browser: UTF-8 with a byte-order mark, so Excel opens the
// Chinese headers and names correctly, CRLF line ends, quoted cells where needed.
function cell(v: string): string {
  // A text cell starting like a formula is kept as text (CSV injection).
  const s = /^[=+@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(header: string[], rows: string[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Characters a file name may not contain on Windows, replaced. */
export function fileName(parts: (string | number | null | undefined)[]): string {
  return parts.filter((p) => p !== null && p !== undefined && p !== '').join('-').replace(/[\\/:*?"<>|\s]+/g, '_') + '.csv';
}

export function downloadCsv(name: string, header: string[], rows: string[][]): void {
  const blob = new Blob([csvText(header, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
