package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A command policy for attack tests: {@code touch} of files under a marker folder only, plus any commands given. */
final class MarkerPolicy {

    private MarkerPolicy() {
    }

    /**
     * Writes the policy next to {@code markers} and returns its path.
     *
     * @param moreCommands YAML entries under {@code commands:}, indented by six spaces (may be empty)
     */
    static Path write(Path markers, String moreCommands) {
        try {
            Path policy = markers.resolveSibling(markers.getFileName() + "-policy.yml");
            Files.writeString(policy, """
                    maxTimeoutSeconds: 600
                    commands:
                      touch:
                        description: Create a marker file (test only)
                        executable: /usr/bin/touch
                        minArgs: 1
                        args:
                          - name: file
                            pathPrefix: [%s/]
                    """.formatted(markers) + moreCommands);
            return policy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
