package io.mamos.orchestrator.web;

import io.mamos.orchestrator.config.MamosProperties;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The orchestrator's {@code /}: a page for the person who opened it in a browser, with links to
 * what they can use. Open, like the API description it links; it names nothing secret.
 */
@RestController
@Hidden
class HomeController {

    private final String page;

    HomeController(MamosProperties properties) {
        String dashboard = HtmlUtils.htmlEscape(properties.dashboard().url());
        String temporal = HtmlUtils.htmlEscape(properties.temporal().uiUrl());
        this.page = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>MAMOS orchestrator</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>
                </head>
                <body>
                <h1>MAMOS orchestrator</h1>
                <p>This is the orchestrator's REST API. People use the dashboard; programs use the API with a
                Bearer token from <code>POST /api/v1/auth/token</code>.</p>
                <ul>
                <li><a href="%s">Dashboard</a> — agents, jobs, schedules</li>
                <li><a href="/swagger-ui.html">API reference</a> (browsable; try calls with a token)</li>
                <li><a href="/v3/api-docs">API description</a> (OpenAPI JSON, also <a href="/v3/api-docs.yaml">YAML</a>)</li>
                <li><a href="/health">Health</a></li>
                <li><a href="%s">Temporal Web UI</a> — job histories</li>
                </ul>
                </body>
                </html>
                """.formatted(dashboard, temporal);
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    String home() {
        return page;
    }
}
