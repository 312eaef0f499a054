package io.mamos.cli;

import picocli.CommandLine.Option;

/** {@code --server} of every command that calls the API; credentials come from the login or MAMOS_TOKEN. */
final class Connection {

    @Option(names = {"-s", "--server"}, paramLabel = "URL", defaultValue = "${env:MAMOS_SERVER}",
            description = "Orchestrator URL (default: the one you logged in to). Env: MAMOS_SERVER.")
    String server;

    Api api() {
        return Api.connect(server, System.getenv());
    }
}
