import { RUN_STATES, type RunState } from "@/lib/api/types";

/** Largest page of runs the dashboard asks for. */
export const MAX_RUNS_PAGE_SIZE = 200;

export interface RunsFilter {
  page: number;
  size: number;
  state: RunState | "";
}

/** Reads page, size and state, dropping what is out of range, and writes them back as a query. */
export function readRunsFilter(params: URLSearchParams): RunsFilter {
  const page = Number.parseInt(params.get("page") ?? "", 10);
  const size = Number.parseInt(params.get("size") ?? "", 10);
  const state = params.get("state") ?? "";
  return {
    page: Number.isInteger(page) && page >= 0 ? page : 0,
    size: Number.isInteger(size) && size >= 1 ? Math.min(size, MAX_RUNS_PAGE_SIZE) : 50,
    state: RUN_STATES.includes(state as RunState) ? (state as RunState) : "",
  };
}

/** The orchestrator's query for a filter: page=0&size=50[&state=FAILED]. */
export function runsQuery(params: URLSearchParams | RunsFilter): string {
  const filter = params instanceof URLSearchParams ? readRunsFilter(params) : params;
  const query = new URLSearchParams({ page: String(filter.page), size: String(filter.size) });
  if (filter.state) query.set("state", filter.state);
  return query.toString();
}
