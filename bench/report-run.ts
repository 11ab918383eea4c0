// One report run for the benchmark: decode FILE and print -FORMAT to stdout.
// Usage: npx tsx bench/report-run.ts FILE FORMAT
import { readFileSync } from 'node:fs';
import { parseProfileData } from '../src/profile/load.ts';
import { sampleTypeIndex } from '../src/profile/model.ts';
import { defaultReportOptions, type ReportFormat } from '../src/report/options.ts';
import { writeReport } from '../src/report/report.ts';

const [file, format = 'text'] = process.argv.slice(2);
const p = parseProfileData(readFileSync(file), file);
const fmt = format as ReportFormat;
import { writeSync } from 'node:fs';
writeReport(p, { ...defaultReportOptions, format: fmt, sampleIndex: sampleTypeIndex(p, ''), nodeCount: fmt === 'text' ? 0 : 80 }, (c) => {
  // stdout may be a non-blocking pipe: retry on EAGAIN until all is written.
  let buf = Buffer.from(c);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(1, buf));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
});
