// What a goroutine's state says about it. Dumps print the runtime's wait
// reason; goroutine profiles do not, so the state is read off the runtime
// frames at the leaf (proto profiles keep them; debug=1 text names only
// user frames, so its states stay unknown unless a sync or time frame shows).

/** Leaf-side functions that tell what a parked goroutine waits for, in the runtime's words. */
const PARK_SITES: ReadonlyArray<readonly [string, string]> = [
  ['runtime.chanrecv', 'chan receive'],
  ['runtime.chanrecv1', 'chan receive'],
  ['runtime.chanrecv2', 'chan receive'],
  ['runtime.chansend', 'chan send'],
  ['runtime.chansend1', 'chan send'],
  ['runtime.selectgo', 'select'],
  ['runtime.block', 'select (no cases)'],
  ['sync.runtime_Semacquire', 'semacquire'],
  ['sync.runtime_SemacquireWaitGroup', 'sync.WaitGroup.Wait'],
  ['sync.runtime_SemacquireMutex', 'sync.Mutex.Lock'],
  ['sync.runtime_SemacquireRWMutexR', 'sync.RWMutex.RLock'],
  ['sync.runtime_SemacquireRWMutex', 'sync.RWMutex.Lock'],
  ['sync.runtime_notifyListWait', 'sync.Cond.Wait'],
  ['internal/poll.runtime_pollWait', 'IO wait'],
  ['time.Sleep', 'sleep'],
  ['runtime.timeSleep', 'sleep'],
  ['sync.(*WaitGroup).Wait', 'semacquire'],
  ['sync.(*Mutex).Lock', 'sync.Mutex.Lock'],
  ['sync.(*Cond).Wait', 'sync.Cond.Wait'],
];
const PARK_SITE = new Map(PARK_SITES);

/**
 * The state a goroutine profile's stack implies; '' when it cannot tell. Leaf
 * first. `runtimeFrames` says whether the profile keeps the runtime's own
 * frames (proto does; debug=1 text drops them, so a user leaf there does not
 * mean the goroutine was running).
 */
export function inferState(stack: readonly string[], runtimeFrames = true): string {
  const n = Math.min(stack.length, 8);
  let sawGopark = false;
  for (let i = 0; i < n; i++) {
    const f = stack[i];
    const s = PARK_SITE.get(f);
    if (s !== undefined) return s;
    if (f === 'runtime.gopark' || f === 'runtime.goparkunlock') sawGopark = true;
    else if (f === 'runtime.notetsleepg' || f === 'runtime.netpollblock') return 'IO wait';
  }
  if (sawGopark) return 'waiting';
  if (!runtimeFrames) return '';
  // A named user leaf with no park site: the goroutine was running or runnable.
  if (stack.length > 0 && stack[0] !== '' && !stack[0].startsWith('runtime.')) return 'runnable';
  if (stack.length > 0 && stack[0] === 'runtime.goroutineProfileWithLabels') return 'running';
  return '';
}

/** States of goroutines that wait for another goroutine or the outside world to wake them. */
export function isParkedState(state: string): boolean {
  if (state.includes('(leaked)')) return true;
  if (state === '' || state === 'running' || state === 'runnable' || state === 'syscall' || state === 'dead' ||
      state === 'idle' || state === 'copystack' || state === 'preempted') return false;
  if (state.startsWith('running') || state.startsWith('runnable') || state.startsWith('syscall')) return false;
  return true;
}

/** States no wake-up can end: nil channels and empty selects. */
export function isForeverState(state: string): boolean {
  return state.includes('(nil chan)') || state.startsWith('select (no cases)');
}
