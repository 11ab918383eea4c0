// ELF reader (32/64-bit, little-endian): headers, sections, loadable
// segments, notes and symbol tables. Section contents are read from disk on
// demand, so opening a 100 MB binary costs a few small reads.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { ByteReader, cstringAt } from './bytes.ts';

export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly entsize: number;
}

export interface ElfSegment {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
  readonly memsz: number;
}

export const SHT_SYMTAB = 2;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
const SHF_COMPRESSED = 0x800;
export const PT_LOAD = 1;
const PT_NOTE = 4;
export const ET_EXEC = 2;
export const ET_DYN = 3;

/** Reads byte ranges of a file; the file stays open until close(). */
export class FileSource {
  private fd: number;
  readonly size: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }
  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const r = readSync(this.fd, buf, got, n - got, offset + got);
      if (r <= 0) break;
      got += r;
    }
    return got === n ? buf : buf.subarray(0, got);
  }
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export class ElfFile {
  readonly is64: boolean;
  readonly type: number;
  readonly machine: number;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
  private readonly byName = new Map<string, ElfSection>();
  private readonly cache = new Map<string, Uint8Array>();

  private constructor(readonly src: FileSource) {
    const ident = src.read(0, 64);
    if (ident.length < 52 || ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) {
      throw new Error('not an ELF file');
    }
    if (ident[5] !== 1) throw new Error('big-endian ELF is not supported');
    this.is64 = ident[4] === 2;
    const h = new ByteReader(ident, 16);
    this.type = h.u16();
    this.machine = h.u16();
    h.u32(); // version
    const word = () => (this.is64 ? h.u64() : h.u32());
    word(); // entry
    const phoff = word();
    const shoff = word();
    h.u32(); // flags
    h.u16(); // ehsize
    const phentsize = h.u16();
    const phnum = h.u16();
    const shentsize = h.u16();
    let shnum = h.u16();
    let shstrndx = h.u16();

    const segs: ElfSegment[] = [];
    if (phoff > 0 && phnum > 0) {
      const r = new ByteReader(src.read(phoff, phnum * phentsize));
      for (let i = 0; i < phnum && (i + 1) * phentsize <= r.length; i++) {
        r.pos = i * phentsize;
        if (this.is64) {
          const type = r.u32(), flags = r.u32(), offset = r.u64(), vaddr = r.u64();
          r.u64();
          const filesz = r.u64(), memsz = r.u64();
          segs.push({ type, flags, offset, vaddr, filesz, memsz });
        } else {
          const type = r.u32(), offset = r.u32(), vaddr = r.u32();
          r.u32();
          const filesz = r.u32(), memsz = r.u32(), flags = r.u32();
          segs.push({ type, flags, offset, vaddr, filesz, memsz });
        }
      }
    }
    this.segments = segs;

    const secs: ElfSection[] = [];
    if (shoff > 0) {
      if (shnum === 0 || shstrndx === 0xffff) {
        const r0 = new ByteReader(src.read(shoff, shentsize));
        const s0 = this.readShdr(r0);
        if (shnum === 0) shnum = s0.size;
        if (shstrndx === 0xffff) shstrndx = s0.link;
      }
      const r = new ByteReader(src.read(shoff, shnum * shentsize));
      const raw: Omit<ElfSection, 'name'>[] & { nameOff?: number }[] = [];
      const nameOffs: number[] = [];
      for (let i = 0; i < shnum && (i + 1) * shentsize <= r.length; i++) {
        r.pos = i * shentsize;
        nameOffs.push(r.view.getUint32(r.pos, true));
        raw.push(this.readShdr(r));
      }
      const strSec = raw[shstrndx];
      const names = strSec ? src.read(strSec.offset, strSec.size) : new Uint8Array(0);
      for (let i = 0; i < raw.length; i++) {
        const s = { ...raw[i], name: cstringAt(names, nameOffs[i]) };
        secs.push(s);
        if (!this.byName.has(s.name)) this.byName.set(s.name, s);
      }
    }
    this.sections = secs;
  }

  private readShdr(r: ByteReader): Omit<ElfSection, 'name'> {
    r.u32(); // name
    const type = r.u32();
    if (this.is64) {
      const flags = r.u64(), addr = r.u64(), offset = r.u64(), size = r.u64();
      const link = r.u32();
      r.u32();
      r.u64();
      const entsize = r.u64();
      return { type, flags, addr, offset, size, link, entsize };
    }
    const flags = r.u32(), addr = r.u32(), offset = r.u32(), size = r.u32(), link = r.u32();
    r.u32();
    r.u32();
    const entsize = r.u32();
    return { type, flags, addr, offset, size, link, entsize };
  }

  static open(path: string): ElfFile {
    const src = new FileSource(path);
    try {
      return new ElfFile(src);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  close(): void {
    this.src.close();
  }

  section(name: string): ElfSection | undefined {
    return this.byName.get(name);
  }

  /** Raw (possibly compressed) bytes of a section. */
  rawData(s: ElfSection): Uint8Array {
    if (s.type === SHT_NOBITS) return new Uint8Array(0);
    return this.src.read(s.offset, s.size);
  }

  /**
   * Contents of a section by name, decompressed (SHF_COMPRESSED zlib/zstd,
   * or the legacy `.zdebug_*` spelling of a `.debug_*` section). Cached.
   */
  data(name: string): Uint8Array | undefined {
    const hit = this.cache.get(name);
    if (hit) return hit;
    let s = this.byName.get(name);
    let legacyZ = false;
    if (!s && name.startsWith('.debug_')) {
      s = this.byName.get('.zdebug_' + name.slice(7));
      legacyZ = s !== undefined;
    }
    if (!s) return undefined;
    let d = this.rawData(s);
    if (legacyZ && d.length >= 12 && cstringAt(d.subarray(0, 4), 0) === 'ZLIB') {
      d = inflateSync(d.subarray(12));
    } else if (s.flags & SHF_COMPRESSED) {
      const r = new ByteReader(d);
      const chType = r.u32();
      const hdr = this.is64 ? 24 : 12;
      if (chType === 1) d = inflateSync(d.subarray(hdr));
      else if (chType === 2) { const z = zstdDecompress(d.subarray(hdr)); d = Buffer.from(z.buffer, z.byteOffset, z.byteLength); }
      else throw new Error(`section ${name}: unknown compression type ${chType}`);
    }
    this.cache.set(name, d);
    return d;
  }

  /** File bytes at a virtual address range (through PT_LOAD). */
  readVaddr(vaddr: number, length: number): Uint8Array | undefined {
    for (const p of this.segments) {
      if (p.type === PT_LOAD && vaddr >= p.vaddr && vaddr + length <= p.vaddr + p.filesz) {
        return this.src.read(p.offset + (vaddr - p.vaddr), length);
      }
    }
    return undefined;
  }

  /** Iterates notes from note sections (or PT_NOTE segments when sections are stripped). */
  notes(): { name: string; type: number; desc: Uint8Array }[] {
    const out: { name: string; type: number; desc: Uint8Array }[] = [];
    const blobs: Uint8Array[] = [];
    const noteSecs = this.sections.filter((s) => s.type === SHT_NOTE);
    if (noteSecs.length) for (const s of noteSecs) blobs.push(this.rawData(s));
    else for (const p of this.segments) if (p.type === PT_NOTE) blobs.push(this.src.read(p.offset, p.filesz));
    for (const b of blobs) {
      const r = new ByteReader(b);
      while (r.pos + 12 <= b.length) {
        const namesz = r.u32(), descsz = r.u32(), type = r.u32();
        const name = cstringAt(b.subarray(r.pos, r.pos + namesz), 0);
        r.pos += (namesz + 3) & ~3;
        const desc = b.subarray(r.pos, r.pos + descsz);
        r.pos += (descsz + 3) & ~3;
        out.push({ name, type, desc });
      }
    }
    return out;
  }

  /** GNU build ID as lowercase hex, else the Go build ID string, else ''. */
  buildId(): string {
    let go = '';
    for (const n of this.notes()) {
      if (n.name === 'GNU' && n.type === 3) return Buffer.from(n.desc).toString('hex');
      if (n.name === 'Go' && n.type === 4) go = Buffer.from(n.desc).toString('latin1');
    }
    return go;
  }

  /** `.gnu_debuglink` file name, or ''. */
  debugLink(): string {
    const d = this.data('.gnu_debuglink');
    return d ? cstringAt(d, 0) : '';
  }

  /**
   * Converts a runtime address in a mapping {start, offset} to a link-time
   * virtual address, through the PT_LOAD segment covering the file offset.
   */
  toVaddr(addr: number, mapStart: number, mapOffset: number, mapLimit: number): number {
    if (this.type === ET_EXEC && (mapStart === 0 || (addr >= mapStart && this.isLoadedVaddr(addr)))) return addr;
    if (mapStart === 0 && mapLimit === 0) return addr;
    const off = addr - mapStart + mapOffset;
    for (const p of this.segments) {
      if (p.type === PT_LOAD && off >= p.offset && off < p.offset + Math.max(p.filesz, 1)) return off - p.offset + p.vaddr;
    }
    // Kernel-style mappings with offset 0 covering the text: fall back to the first executable segment.
    const x = this.segments.find((p) => p.type === PT_LOAD && (p.flags & 1));
    return x ? addr - mapStart + x.vaddr - (x.offset - mapOffset) : addr;
  }

  private isLoadedVaddr(v: number): boolean {
    return this.segments.some((p) => p.type === PT_LOAD && v >= p.vaddr && v < p.vaddr + p.memsz);
  }
}
