// A report that cannot be produced for the given options (pprof returns an
// error and prints nothing on stdout), e.g. a -list/-peek regex matching
// nothing.
export class ReportError extends Error {}
