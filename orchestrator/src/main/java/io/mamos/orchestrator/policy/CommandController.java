package io.mamos.orchestrator.policy;

import java.util.Comparator;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The whitelist as clients see it, so a UI can offer only what will be accepted. */
@RestController
@RequestMapping("/api/v1/commands")
class CommandController {

    private final CommandPolicy policy;

    CommandController(CommandPolicy policy) {
        this.policy = policy;
    }

    @GetMapping
    CommandList list() {
        return new CommandList(policy.maxTimeoutSeconds(), policy.rules().stream()
                .sorted(Comparator.comparing(CommandRule::name))
                .map(rule -> new CommandView(rule.name(), rule.description(), rule.executable(), rule.minArgs(),
                        rule.maxArgs(), rule.argPattern() == null ? null : rule.argPattern().pattern(),
                        rule.pathPrefixes()))
                .toList());
    }

    record CommandView(String name, String description, String executable, int minArgs, int maxArgs,
            String argPattern, List<String> pathPrefixes) {
    }

    record CommandList(long maxTimeoutSeconds, List<CommandView> items) {
    }
}
