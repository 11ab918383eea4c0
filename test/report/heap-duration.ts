// Writes fixtures/heap-duration.pb.gz: heap.pb.gz with a 5 s duration (as a
// `?seconds=` delta profile has), so the header's non-time
// "Total samples = X " line is covered. Usage: npx tsx test/report/heap-duration.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseProfileData } from '../../src/profile/load.ts';
import { encodeProfile } from '../../src/profile/proto-encode.ts';

const dir = new URL('./fixtures/', import.meta.url).pathname;
const p = parseProfileData(readFileSync(dir + 'heap.pb.gz'), 'heap.pb.gz');
writeFileSync(dir + 'heap-duration.pb.gz', gzipSync(encodeProfile({ ...p, durationNanos: 5_000_000_000n })));
