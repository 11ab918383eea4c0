// Incremental construction of a columnar Profile. Parsers of text formats,
// merges and test fixtures add functions, locations and samples one at a
// time; build() packs them into typed arrays. Functions, locations and label
// sets are de-duplicated by content so callers need not track ids.

import {
  EMPTY_LABEL_SET,
  type LabelSet,
  type Mapping,
  type NumLabel,
  type Profile,
  type ValueType,
} from './model.ts';
import { growF64, growU32 } from './typed-arrays.ts';

export interface LineInput {
  /** Function index returned by addFunction. */
  readonly fn: number;
  readonly line: number;
  readonly column?: number;
}

export interface ProfileHeader {
  sampleTypes: ValueType[];
  defaultSampleType?: string;
  periodType?: ValueType | null;
  period?: number;
  timeNanos?: bigint;
  durationNanos?: bigint;
  comments?: string[];
  dropFrames?: string;
  keepFrames?: string;
  docUrl?: string;
}


export class ProfileBuilder {
  private readonly header: ProfileHeader;
  private readonly nValues: number;
  private readonly mappings: Mapping[] = [];

  private fnIndex = new Map<string, number>();
  private fnId: number[] = [];
  private fnName: string[] = [];
  private fnSys: string[] = [];
  private fnFile: string[] = [];
  private fnStart: number[] = [];

  private locIndex = new Map<string, number>();
  private locId: number[] = [];
  private locMapping: number[] = [];
  private locAddress: bigint[] = [];
  private locFolded: number[] = [];
  private locLineStart: number[] = [0];
  private lineFn: number[] = [];
  private lineNo: number[] = [];
  private lineCol: number[] = [];

  private labelSetIndex = new Map<string, number>([['', 0]]);
  private labelSets: LabelSet[] = [EMPTY_LABEL_SET];

  private nSamples = 0;
  private stackStart = new Uint32Array(1024);
  private stack = new Uint32Array(4096);
  private stackLen = 0;
  private values: Float64Array<ArrayBuffer>;
  private labelSet = new Uint32Array(1024);

  constructor(header: ProfileHeader) {
    this.header = header;
    this.nValues = header.sampleTypes.length;
    this.values = new Float64Array(1024 * Math.max(1, this.nValues));
  }

  /** Adds a mapping; returns its index. Ids default to index + 1. */
  addMapping(m: Partial<Mapping> & { file?: string }): number {
    const idx = this.mappings.length;
    this.mappings.push({
      id: m.id ?? idx + 1,
      start: m.start ?? 0n,
      limit: m.limit ?? 0n,
      offset: m.offset ?? 0n,
      file: m.file ?? '',
      buildId: m.buildId ?? '',
      hasFunctions: m.hasFunctions ?? false,
      hasFilenames: m.hasFilenames ?? false,
      hasLineNumbers: m.hasLineNumbers ?? false,
      hasInlineFrames: m.hasInlineFrames ?? false,
    });
    return idx;
  }

  /** Adds (or finds) a function by its content; returns its index. */
  addFunction(name: string, systemName = name, filename = '', startLine = 0): number {
    const key = `${name}\u0000${systemName}\u0000${filename}\u0000${startLine}`;
    let idx = this.fnIndex.get(key);
    if (idx === undefined) {
      idx = this.fnName.length;
      this.fnIndex.set(key, idx);
      this.fnId.push(idx + 1);
      this.fnName.push(name);
      this.fnSys.push(systemName);
      this.fnFile.push(filename);
      this.fnStart.push(startLine);
    }
    return idx;
  }

  /**
   * Adds (or finds) a location; returns its index. Lines are innermost first.
   * `mapping` is a mapping index or -1.
   */
  addLocation(address: bigint, lines: readonly LineInput[] = [], mapping = -1, isFolded = false): number {
    let key = `${mapping}:${address}:${isFolded ? 1 : 0}`;
    for (const l of lines) key += `|${l.fn}:${l.line}:${l.column ?? 0}`;
    let idx = this.locIndex.get(key);
    if (idx === undefined) {
      idx = this.locId.length;
      this.locIndex.set(key, idx);
      this.locId.push(idx + 1);
      this.locMapping.push(mapping);
      this.locAddress.push(address);
      this.locFolded.push(isFolded ? 1 : 0);
      for (const l of lines) {
        this.lineFn.push(l.fn);
        this.lineNo.push(l.line);
        this.lineCol.push(l.column ?? 0);
      }
      this.locLineStart.push(this.lineFn.length);
    }
    return idx;
  }

  /** Interns a label set; returns its index (0 for no labels). */
  addLabelSet(str: ReadonlyArray<readonly [string, string]>, num: readonly NumLabel[] = []): number {
    if (str.length === 0 && num.length === 0) return 0;
    const key = JSON.stringify([str, num]);
    let idx = this.labelSetIndex.get(key);
    if (idx === undefined) {
      idx = this.labelSets.length;
      this.labelSetIndex.set(key, idx);
      this.labelSets.push({ str: str.map(([k, v]) => [k, v] as const), num: num.slice() });
    }
    return idx;
  }

  /** Adds a sample: location indices leaf first, one value per sample type. */
  addSample(locations: ArrayLike<number>, values: ArrayLike<number>, labelSet = 0): void {
    const i = this.nSamples++;
    this.stackStart = growU32(this.stackStart, i + 2);
    this.labelSet = growU32(this.labelSet, i + 1);
    this.values = growF64(this.values, (i + 1) * this.nValues);
    this.stack = growU32(this.stack, this.stackLen + locations.length);
    this.stackStart[i] = this.stackLen;
    for (let k = 0; k < locations.length; k++) this.stack[this.stackLen++] = locations[k];
    this.stackStart[i + 1] = this.stackLen;
    for (let t = 0; t < this.nValues; t++) this.values[i * this.nValues + t] = values[t] ?? 0;
    this.labelSet[i] = labelSet;
  }

  get sampleCount(): number {
    return this.nSamples;
  }

  build(): Profile {
    const h = this.header;
    const n = this.nSamples;
    const nLoc = this.locId.length;
    const nFn = this.fnName.length;
    return {
      sampleTypes: h.sampleTypes.slice(),
      defaultSampleType: h.defaultSampleType ?? '',
      samples: {
        length: n,
        stackStart: this.stackStart.slice(0, n + 1),
        stack: this.stack.slice(0, this.stackLen),
        values: this.values.slice(0, n * this.nValues),
        labelSet: this.labelSet.slice(0, n),
      },
      labelSets: this.labelSets,
      locations: {
        length: nLoc,
        id: Float64Array.from(this.locId),
        mapping: Int32Array.from(this.locMapping),
        address: BigUint64Array.from(this.locAddress),
        isFolded: Uint8Array.from(this.locFolded),
        lineStart: Uint32Array.from(this.locLineStart),
        lineFunction: Uint32Array.from(this.lineFn),
        lineNumber: Float64Array.from(this.lineNo),
        lineColumn: Float64Array.from(this.lineCol),
      },
      functions: {
        length: nFn,
        id: Float64Array.from(this.fnId),
        name: this.fnName,
        systemName: this.fnSys,
        filename: this.fnFile,
        startLine: Float64Array.from(this.fnStart),
      },
      mappings: this.mappings,
      dropFrames: h.dropFrames ?? '',
      keepFrames: h.keepFrames ?? '',
      timeNanos: h.timeNanos ?? 0n,
      durationNanos: h.durationNanos ?? 0n,
      periodType: h.periodType ?? null,
      period: h.period ?? 0,
      comments: h.comments ?? [],
      docUrl: h.docUrl ?? '',
    };
  }
}
