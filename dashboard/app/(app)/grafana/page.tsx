import type { Metadata } from "next";
import { ExternalLink } from "lucide-react";

import { clientConfig } from "@/lib/api/queries";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";

export const metadata: Metadata = { title: "Grafana" };

export default async function GrafanaPage() {
  const config = await clientConfig();
  const dashboard = `${config.grafanaUrl.replace(/\/+$/, "")}${config.grafanaDashboardPath}`;
  const embedded = `${dashboard}${dashboard.includes("?") ? "&" : "?"}kiosk&theme=light`;
  return (
    <>
      <PageHeader
        title="Grafana"
        description="The MAMOS Overview dashboard: agents, jobs and latencies from Prometheus."
        actions={
          <Button asChild variant="outline">
            <a href={dashboard} target="_blank" rel="noreferrer">
              Open in Grafana <ExternalLink aria-hidden="true" />
            </a>
          </Button>
        }
      />
      <Card className="overflow-hidden p-0">
        <CardContent className="p-0">
          {/* Needs Grafana's allow_embedding (set in infra/); otherwise use the link above. */}
          <iframe
            src={embedded}
            title="MAMOS Overview dashboard in Grafana"
            className="h-[75vh] w-full border-0"
            loading="lazy"
            referrerPolicy="no-referrer"
          />
        </CardContent>
      </Card>
      <p className="text-muted-foreground text-sm">
        Grafana is expected at <code className="font-mono">{config.grafanaUrl}</code> (orchestrator setting
        MAMOS_GRAFANA_URL). If the frame stays empty, Grafana is not running or not reachable from this browser.
      </p>
    </>
  );
}
