import { proxyGet } from "@/lib/api/route-proxy";

/** One job as JSON, for the job page's live view (it re-reads the job on every change). */
export async function GET(_request: Request, { params }: RouteContext<"/api/jobs/[id]">) {
  const { id } = await params;
  return proxyGet(`/api/v1/jobs/${encodeURIComponent(id)}`, "Cannot read the job");
}
