// The drop/keep frame patterns pprof attaches to legacy profiles, so
// allocator and profiler frames are pruned from stacks as for pprof.

import type { RawProfile } from './raw-profile.ts';

const HEAPZ_SAMPLE_TYPES = [
  ['allocations', 'size'],
  ['objects', 'space'],
  ['inuse_objects', 'inuse_space'],
  ['alloc_objects', 'alloc_space'],
  ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'],
];
const CONTENTIONZ_SAMPLE_TYPES = [['contentions', 'delay']];

const ALLOC_RX = [
  'calloc', 'cfree', 'malloc', 'free', 'memalign', 'do_memalign', '(__)?posix_memalign', 'pvalloc', 'valloc',
  'realloc',
  'tcmalloc::.*', 'tc_calloc', 'tc_cfree', 'tc_malloc', 'tc_free', 'tc_memalign', 'tc_posix_memalign',
  'tc_pvalloc', 'tc_valloc', 'tc_realloc', 'tc_new', 'tc_delete', 'tc_newarray', 'tc_deletearray',
  'tc_new_nothrow', 'tc_newarray_nothrow',
  'malloc_zone_malloc', 'malloc_zone_calloc', 'malloc_zone_valloc', 'malloc_zone_realloc',
  'malloc_zone_memalign', 'malloc_zone_free',
  'runtime\\..*',
  'BaseArena::.*', '(::)?do_malloc_no_errno', '(::)?do_malloc_pages', '(::)?do_malloc', 'DoSampledAllocation',
  'MallocedMemBlock::MallocedMemBlock', '_M_allocate', '__builtin_(vec_)?delete', '__builtin_(vec_)?new',
  '__gnu_cxx::new_allocator::allocate', '__libc_malloc', '__malloc_alloc_template::allocate', 'allocate',
  'cpp_alloc', 'operator new(\\[\\])?', 'simple_alloc::allocate',
].join('|');

const ALLOC_SKIP_RX = ['runtime\\.panic', 'runtime\\.reflectcall', 'runtime\\.call[0-9]*'].join('|');

const CPU_PROFILER_RX = [
  'ProfileData::Add', 'ProfileData::prof_handler', 'CpuProfiler::prof_handler', '__pthread_sighandler', '__restore',
].join('|');

const LOCK_RX = [
  'RecordLockProfileData', '(base::)?RecordLockProfileData.*', '(base::)?SubmitMutexProfileData.*',
  '(base::)?SubmitSpinLockProfileData.*', '(base::Mutex::)?AwaitCommon.*', '(base::Mutex::)?Unlock.*',
  '(base::Mutex::)?UnlockSlow.*', '(base::Mutex::)?ReaderUnlock.*', '(base::MutexLock::)?~MutexLock.*',
  '(Mutex::)?AwaitCommon.*', '(Mutex::)?Unlock.*', '(Mutex::)?UnlockSlow.*', '(Mutex::)?ReaderUnlock.*',
  '(MutexLock::)?~MutexLock.*', '(SpinLock::)?Unlock.*', '(SpinLock::)?SlowUnlock.*',
  '(SpinLockHolder::)?~SpinLockHolder.*',
].join('|');

function isType(p: RawProfile, types: string[][]): boolean {
  return types.some((t) => t.length === p.sampleTypes.length && t.every((name, i) => p.sampleTypes[i].type === name));
}

export function addLegacyFrameInfo(p: RawProfile): void {
  if (isType(p, HEAPZ_SAMPLE_TYPES)) {
    p.dropFrames = ALLOC_RX;
    p.keepFrames = ALLOC_SKIP_RX;
  } else if (isType(p, CONTENTIONZ_SAMPLE_TYPES)) {
    p.dropFrames = LOCK_RX;
    p.keepFrames = '';
  } else {
    p.dropFrames = CPU_PROFILER_RX;
    p.keepFrames = '';
  }
}
