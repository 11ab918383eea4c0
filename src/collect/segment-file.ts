// Segment files: an append-only log of framed records.
//
//   file   = "PPSEG001" record*
//   record = u32le length, u32le crc32(payload), payload[length]
//   payload = u8 kind, f64le timeMs, deflate-raw(body)
//
// A record is appended and fsynced before the collector calls the snapshot
// finished. A crash can only leave a torn last record; its length or CRC
// does not check out, and readers stop there. The writer truncates it away
// when it reopens the segment, so restarts continue the same file.

import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodeDump, decodeSnapshot, encodeDump, encodeSnapshot, SegmentState, type SnapshotMeta } from './segment-codec.ts';
import type { Profile } from '../profile/model.ts';

export const SEGMENT_MAGIC = new TextEncoder().encode('PPSEG001');
export const KIND_SNAPSHOT = 1;
export const KIND_DUMP = 2;
const HEADER = 8;
const FRAME = 8;
/** Largest record accepted when reading: bounds memory on a corrupt length. */
const MAX_RECORD = 512 << 20;

export interface RecordRef {
  kind: number;
  timeMs: number;
  /** Offset of the frame in the file. */
  offset: number;
  /** The compressed body (view into the file bytes). */
  packed: Uint8Array;
}

export interface ScanResult {
  records: RecordRef[];
  /** Offset just past the last valid record. */
  validEnd: number;
  /** True when bytes after validEnd were ignored (a torn or damaged tail). */
  tornTail: boolean;
}

/** Finds the valid records of a segment file's bytes. Never throws. */
export function scanSegment(bytes: Uint8Array): ScanResult {
  const records: RecordRef[] = [];
  if (bytes.length < HEADER || !SEGMENT_MAGIC.every((b, i) => bytes[i] === b)) {
    return { records, validEnd: 0, tornTail: bytes.length > 0 };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = HEADER;
  while (pos + FRAME <= bytes.length) {
    const len = dv.getUint32(pos, true);
    const crc = dv.getUint32(pos + 4, true);
    if (len < 9 || len > MAX_RECORD || pos + FRAME + len > bytes.length) break;
    const payload = bytes.subarray(pos + FRAME, pos + FRAME + len);
    if (crc32(payload) !== crc) break;
    records.push({
      kind: payload[0],
      timeMs: new DataView(payload.buffer, payload.byteOffset + 1, 8).getFloat64(0, true),
      offset: pos,
      packed: payload.subarray(9),
    });
    pos += FRAME + len;
  }
  return { records, validEnd: pos, tornTail: pos < bytes.length };
}

export function unpack(r: RecordRef): Uint8Array {
  return inflateRawSync(r.packed);
}

/** Frames one record. */
export function frameRecord(kind: number, timeMs: number, body: Uint8Array): Uint8Array {
  const packed = deflateRawSync(body, { level: 6 });
  const len = 9 + packed.length;
  const out = new Uint8Array(FRAME + len);
  const dv = new DataView(out.buffer);
  out[FRAME] = kind;
  dv.setFloat64(FRAME + 1, timeMs, true);
  out.set(packed, FRAME + 9);
  dv.setUint32(0, len, true);
  dv.setUint32(4, crc32(out.subarray(FRAME)), true);
  return out;
}

export interface DecodedRecord {
  kind: number;
  timeMs: number;
  meta: SnapshotMeta;
  profile?: Profile;
  dump?: Uint8Array;
}

/**
 * Replays a segment's records in order (the dictionary needs every earlier
 * record). `want` says which to materialize; the others only feed the
 * dictionary. Stops quietly at a record that does not decode.
 */
export function replaySegment(
  bytes: Uint8Array,
  want: (r: RecordRef) => boolean,
  state = new SegmentState(),
): { decoded: DecodedRecord[]; state: SegmentState; scan: ScanResult; lastGood: number } {
  const scan = scanSegment(bytes);
  const decoded: DecodedRecord[] = [];
  let lastGood = HEADER;
  for (const r of scan.records) {
    try {
      const body = unpack(r);
      if (r.kind === KIND_SNAPSHOT) {
        const { meta, profile } = decodeSnapshot(state, body);
        if (want(r)) decoded.push({ kind: r.kind, timeMs: r.timeMs, meta, profile });
      } else if (r.kind === KIND_DUMP) {
        const d = decodeDump(state, body);
        if (want(r)) decoded.push({ kind: r.kind, timeMs: r.timeMs, meta: { timeMs: r.timeMs, url: d.url }, dump: d.text });
      }
      lastGood = r.offset + FRAME + 9 + r.packed.length;
    } catch {
      break;
    }
  }
  return { decoded, state, scan, lastGood };
}

/** An open segment being appended to. */
export class SegmentWriter {
  private broken = false;
  private constructor(
    readonly path: string,
    private fh: FileHandle,
    private size: number,
    private state: SegmentState,
    public count: number,
    public firstMs: number,
    public lastMs: number,
  ) {}

  /** Creates a new segment (and fsyncs its directory entry). */
  static async create(path: string): Promise<SegmentWriter> {
    const fh = await open(path, 'wx');
    await fh.write(SEGMENT_MAGIC, 0, SEGMENT_MAGIC.length, 0);
    await fh.sync();
    await syncDir(dirname(path));
    return new SegmentWriter(path, fh, HEADER, new SegmentState(), 0, NaN, NaN);
  }

  /** Reopens a segment to continue it, cutting off a torn tail. */
  static async reopen(path: string): Promise<SegmentWriter> {
    const bytes = await readFile(path);
    let { state, scan, lastGood } = replaySegment(bytes, () => false);
    // A record that checks out but does not decode may have half-extended
    // the dictionary: replay the good prefix again from scratch.
    if (lastGood < scan.validEnd) ({ state, scan } = replaySegment(bytes.subarray(0, lastGood), () => false));
    const good = scan.records.filter((r) => r.offset < lastGood);
    const fh = await open(path, 'r+');
    if (lastGood < bytes.length || bytes.length < HEADER) {
      if (bytes.length < HEADER) await fh.write(SEGMENT_MAGIC, 0, SEGMENT_MAGIC.length, 0);
      await fh.truncate(Math.max(lastGood, HEADER));
      await fh.sync();
    }
    const snaps = good.filter((r) => r.kind === KIND_SNAPSHOT || r.kind === KIND_DUMP);
    return new SegmentWriter(
      path, fh, Math.max(lastGood, HEADER), state, snaps.length,
      snaps.length ? snaps[0].timeMs : NaN, snaps.length ? snaps[snaps.length - 1].timeMs : NaN,
    );
  }

  get bytes(): number {
    return this.size;
  }

  /** False after a failed write: the dictionary state no longer matches the file. */
  get usable(): boolean {
    return !this.broken;
  }

  async appendProfile(p: Profile, meta: SnapshotMeta): Promise<void> {
    await this.appendFramed(() => frameRecord(KIND_SNAPSHOT, meta.timeMs, encodeSnapshot(this.state, p, meta)), meta.timeMs);
  }

  async appendDump(text: Uint8Array, meta: SnapshotMeta): Promise<void> {
    await this.appendFramed(() => frameRecord(KIND_DUMP, meta.timeMs, encodeDump(this.state, meta.url, text)), meta.timeMs);
  }

  private async appendFramed(make: () => Uint8Array, timeMs: number): Promise<void> {
    if (this.broken) throw new Error(`${this.path}: segment closed after an earlier write error`);
    try {
      const rec = make();
      await this.fh.write(rec, 0, rec.length, this.size);
      await this.fh.datasync();
      this.size += rec.length;
      this.count++;
      if (Number.isNaN(this.firstMs)) this.firstMs = timeMs;
      this.lastMs = timeMs;
    } catch (err) {
      this.broken = true;
      // Drop whatever part of the record reached the file.
      await this.fh.truncate(this.size).catch(() => {});
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => {});
  }
}

/**
 * Rewrites a segment keeping only records for which `keep` is true, via a
 * temporary file, fsync and rename. Returns the number kept.
 */
export async function rewriteSegment(path: string, keep: (r: RecordRef) => boolean): Promise<number> {
  const bytes = await readFile(path);
  const { decoded } = replaySegment(bytes, keep);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const state = new SegmentState();
  const fh = await open(tmp, 'w');
  try {
    let pos = 0;
    const write = async (b: Uint8Array): Promise<void> => {
      await fh.write(b, 0, b.length, pos);
      pos += b.length;
    };
    await write(SEGMENT_MAGIC);
    for (const d of decoded) {
      if (d.kind === KIND_SNAPSHOT && d.profile) await write(frameRecord(KIND_SNAPSHOT, d.timeMs, encodeSnapshot(state, d.profile, d.meta)));
      else if (d.kind === KIND_DUMP && d.dump) await write(frameRecord(KIND_DUMP, d.timeMs, encodeDump(state, d.meta.url, d.dump)));
    }
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
  await syncDir(dirname(path));
  return decoded.length;
}

/** fsync a directory so a created or renamed entry survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some filesystems refuse fsync on directories; the data itself is synced.
  }
}
