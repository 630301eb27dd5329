/** One event of a Chromium trace (`Tracing.dataCollected`), as the bench's trace readers use it. */
export interface TraceEvent {
  ph: string;
  name: string;
  cat?: string;
  ts: number;
  dur?: number;
  /** Thread CPU time (µs) of a complete event, when the trace records it. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: Record<string, unknown>;
}
