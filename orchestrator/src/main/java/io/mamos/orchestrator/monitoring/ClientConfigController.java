package io.mamos.orchestrator.monitoring;

import io.mamos.orchestrator.config.MamosProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What clients (the dashboard) need to link out: Grafana and the Temporal Web UI. */
@RestController
class ClientConfigController {

    private final MamosProperties properties;

    ClientConfigController(MamosProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/api/v1/config")
    ClientConfig config() {
        var temporal = properties.temporal();
        return new ClientConfig(properties.grafana().url(), properties.grafana().dashboardPath(), temporal.uiUrl(),
                temporal.namespace());
    }

    record ClientConfig(String grafanaUrl, String grafanaDashboardPath, String temporalUiUrl, String temporalNamespace) {
    }
}
