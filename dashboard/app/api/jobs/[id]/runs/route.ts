import { proxyGet } from "@/lib/api/route-proxy";
import { runsQuery } from "@/lib/api/runs-query";

/** A page of a job's runs as JSON (?page, size, state), for the job page's runs table. */
export async function GET(request: Request, { params }: RouteContext<"/api/jobs/[id]/runs">) {
  const { id } = await params;
  const query = runsQuery(new URL(request.url).searchParams);
  return proxyGet(`/api/v1/jobs/${encodeURIComponent(id)}/runs?${query}`, "Cannot read the runs");
}
