// Reading the driver's inputs as pprof's fetch.go does: every source and
// base in parallel (files, else URLs), each side made compatible and merged,
// then the base subtracted (-base) or labelled and appended (-diff_base).

import { open } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fetchProfile, isURLSource, saveFetchedProfile } from '../fetch/source.ts';
import { compatibilizeSampleTypes, scaleProfilesToCommonUnits } from '../profile/compat.ts';
import { InputError } from '../profile/errors.ts';
import { parseProfileData, pathExists, readProfileFile } from '../profile/load.ts';
import { combineProfiles, mergeProfiles, setLabel } from '../profile/merge.ts';
import type { Profile } from '../profile/model.ts';
import { removeUninteresting } from '../profile/prune.ts';
import { normalizeProfile, scaleProfile } from '../profile/scale.ts';
import { symbolizeProfile } from '../symbolize/symbolizer.ts';
import type { CommandIO } from './io.ts';
import type { PprofConfig } from './pprof-options.ts';

interface Loaded {
  profile: Profile;
  /** URL the profile came from, or '' for a file. */
  url: string;
}

async function isElfFile(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const b = new Uint8Array(4);
      const { bytesRead } = await fh.read(b, 0, 4, 0);
      return bytesRead === 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

/**
 * `[binary] source...`: the first of several arguments is the binary when
 * it is an ELF file, or a build id when it is all hex digits (and not a file).
 */
export async function splitExecutable(args: string[], cwd: string): Promise<{ execName: string; buildId?: string; sources: string[] }> {
  if (args.length > 1) {
    if (await isElfFile(resolve(cwd, args[0]))) return { execName: args[0], sources: args.slice(1) };
    if (/^[0-9a-fA-F]+$/.test(args[0]) && !(await pathExists(resolve(cwd, args[0])))) {
      return { execName: '', buildId: args[0], sources: args.slice(1) };
    }
  }
  return { execName: '', sources: args };
}

/**
 * locateBinaries' override: `[binary] source` and -buildid name the main
 * binary, which pprof assumes is the first mapping.
 */
function overrideMainBinary(l: Loaded, cfg: PprofConfig): Loaded {
  let p = l.profile;
  if (p.mappings.length === 0) {
    // pprof gives a profile without mappings a fake one (for symbolization).
    p = {
      ...p,
      mappings: [{ id: 1, start: 0n, limit: 0n, offset: 0n, file: '', buildId: '', hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false }],
      locations: { ...p.locations, mapping: new Int32Array(p.locations.length) },
    };
    l = { ...l, profile: p };
  }
  if ((cfg.execName === '' && cfg.buildId === '') || p.mappings.length === 0) return l;
  const m = { ...p.mappings[0] };
  if (cfg.execName !== '') m.file = cfg.execName;
  if (cfg.buildId !== '') m.buildId = cfg.buildId;
  return { ...l, profile: { ...p, mappings: [m, ...p.mappings.slice(1)] } };
}

async function loadOne(source: string, cfg: PprofConfig, io: CommandIO): Promise<Loaded> {
  return overrideMainBinary(await loadSource(source, cfg, io), cfg);
}

async function loadSource(source: string, cfg: PprofConfig, io: CommandIO): Promise<Loaded> {
  const path = isAbsolute(source) ? source : resolve(io.cwd, source);
  if (source === '-' ) throw new InputError(source, 'reading a profile from stdin is not supported; give a file');
  if (await pathExists(path)) {
    try {
      return { profile: await readProfileFile(path, { maxBytes: cfg.maxBytes }), url: '' };
    } catch (err) {
      // Name the file as the user typed it.
      if (err instanceof InputError && err.source === path && path !== source) throw new InputError(source, err.message.slice(path.length + 2));
      throw err;
    }
  }
  if (!isURLSource(source) || /^[./]/.test(source)) throw new InputError(source, 'no such file');
  const { data, url } = await fetchProfile(source, {
    seconds: cfg.seconds > 0 ? cfg.seconds : undefined,
    timeout: cfg.timeout > 0 ? cfg.timeout : undefined,
    stderr: io.stderr,
    isTTY: false,
    maxBytes: cfg.maxBytes,
  });
  return { profile: parseProfileData(data, url, { maxBytes: cfg.maxBytes }), url };
}

export { combineProfiles } from '../profile/merge.ts';

/**
 * Sources merged, minus the bases. pprof merges each side, then merges the
 * two; without -normalize that equals one merge of the sources with the
 * negated (and, for -diff_base, labelled) bases, which saves two full
 * intermediate profiles of memory and time. -normalize needs each side's
 * merged values (it rounds per merged sample), so it takes pprof's path.
 */
function subtractBases(srcs: Profile[], bases: Profile[], cfg: PprofConfig, label: string): Profile {
  if (bases.length === 0) return combineProfiles(srcs, label);
  if (cfg.normalize) {
    let p = combineProfiles(srcs, label);
    let base = combineProfiles(bases, cfg.base.length === 1 ? cfg.base[0] : '');
    if (cfg.diffBase) base = setLabel(base, 'pprof::base', ['true']);
    p = normalizeProfile(p, base);
    return combineProfiles([p, scaleProfile(base, -1)], label);
  }
  const n = srcs.length;
  let list = compatibilizeSampleTypes([...srcs, ...bases], label);
  list = scaleProfilesToCommonUnits(list, label);
  for (let i = n; i < list.length; i++) {
    const b = cfg.diffBase ? setLabel(list[i], 'pprof::base', ['true']) : list[i];
    list[i] = scaleProfile(b, -1);
  }
  return mergeProfiles(list, label);
}

export interface DriverProfile {
  profile: Profile;
  /** True when some source came over HTTP (pprof then saves a copy). */
  remote: boolean;
}

/** fetchProfiles: sources and bases, merged, diffed, symbolized, uninteresting frames removed. */
export async function loadDriverProfile(cfg: PprofConfig, io: CommandIO): Promise<DriverProfile> {
  const all = await Promise.all([...cfg.sources, ...cfg.base].map((s) => loadOne(s, cfg, io)));
  const firstUrl = all.find((l) => l.url !== '')?.url ?? '';
  const label = cfg.sources.length === 1 ? cfg.sources[0] : '';
  let p = subtractBases(
    all.slice(0, cfg.sources.length).map((l) => l.profile),
    all.slice(cfg.sources.length).map((l) => l.profile),
    cfg,
    label,
  );
  all.length = 0; // let the decoded inputs go before symbolization and reports
  const binaryPath = [cfg.execName ? dirname(resolve(io.cwd, cfg.execName)) : '', io.env.PPROF_BINARY_PATH ?? ''].filter(Boolean).join(':');
  const sym = await symbolizeProfile(p, {
    mode: cfg.symbolize,
    binaryPath: binaryPath || undefined,
    sourceUrl: firstUrl || undefined,
    home: io.env.HOME,
  });
  for (const w of sym.warnings) io.stderr.write(`${w}\n`);
  p = removeUninteresting(sym.profile);
  if (cfg.addComment !== '') p = { ...p, comments: [...p.comments, cfg.addComment] };
  const remote = firstUrl !== '';
  if (remote) await saveFetchedProfile(p, io.env, io.stderr);
  return { profile: p, remote };
}
