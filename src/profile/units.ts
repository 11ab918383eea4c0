// Unit families pprof converts between (measurement.UnitTypes): memory in
// powers of 1024 and time. Used to merge profiles written in different
// units and to read -tagfocus ranges such as `32kb` or `1ms:`.

interface Family {
  base: string;
  units: Array<{ names: string[]; factor: number }>;
}

const FAMILIES: Family[] = [
  {
    base: 'bytes',
    units: [
      { names: ['b', 'byte', 'bytes'], factor: 1 },
      { names: ['kb', 'kbyte', 'kbytes', 'kilobyte', 'kilobytes'], factor: 1024 },
      { names: ['mb', 'mbyte', 'mbytes', 'megabyte', 'megabytes'], factor: 1024 ** 2 },
      { names: ['gb', 'gbyte', 'gbytes', 'gigabyte', 'gigabytes'], factor: 1024 ** 3 },
      { names: ['tb', 'tbyte', 'tbytes', 'terabyte', 'terabytes'], factor: 1024 ** 4 },
      { names: ['pb', 'pbyte', 'pbytes', 'petabyte', 'petabytes'], factor: 1024 ** 5 },
    ],
  },
  {
    base: 'nanoseconds',
    units: [
      { names: ['ns', 'nanosecond', 'nanoseconds'], factor: 1 },
      { names: ['us', 'μs', 'microsecond', 'microseconds'], factor: 1e3 },
      { names: ['ms', 'millisecond', 'milliseconds'], factor: 1e6 },
      { names: ['s', 'sec', 'second', 'seconds'], factor: 1e9 },
      { names: ['hr', 'hrs', 'hour', 'hours'], factor: 3600e9 },
    ],
  },
];

export interface UnitInfo {
  family: string;
  factor: number;
}

/** The family and size of a unit name, or null for counts and unknown units. */
export function unitInfo(unit: string): UnitInfo | null {
  const u = unit.toLowerCase();
  for (const f of FAMILIES) {
    for (const x of f.units) if (x.names.includes(u)) return { family: f.base, factor: x.factor };
  }
  return null;
}
