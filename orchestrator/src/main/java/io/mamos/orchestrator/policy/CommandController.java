package io.mamos.orchestrator.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mamos.orchestrator.auth.Role;
import java.util.Comparator;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The whitelist as clients see it, with every rule, so a UI can offer only what will be accepted. */
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
                        rule.maxArgs(), rule.args().stream().map(ArgumentView::of).toList(),
                        rule.rest() == null ? null : ArgumentView.of(rule.rest()), rule.maxTimeoutSeconds(),
                        rule.roles().stream().sorted().toList(), uniformPattern(rule), uniformPathPrefix(rule)))
                .toList());
    }

    /** The pattern every argument must match, when one rule covers them all (for older clients). */
    private static String uniformPattern(CommandRule rule) {
        return rule.args().isEmpty() && rule.rest() != null && rule.rest().pattern() != null
                ? rule.rest().pattern().pattern() : null;
    }

    private static List<String> uniformPathPrefix(CommandRule rule) {
        return rule.args().isEmpty() && rule.rest() != null ? rule.rest().pathPrefix() : List.of();
    }

    /**
     * @param args         rules by position; {@code rest} applies to every argument after them (null: unchecked)
     * @param argPattern   {@code rest}'s pattern when there are no positional rules, else null; kept for
     *                     clients that predate per-argument rules (read {@code args} and {@code rest})
     * @param pathPrefixes likewise {@code rest}'s pathPrefix, else empty
     */
    record CommandView(String name, String description, String executable, int minArgs, int maxArgs,
            List<ArgumentView> args, ArgumentView rest, long maxTimeoutSeconds, List<Role> roles,
            String argPattern, List<String> pathPrefixes) {
    }

    record ArgumentView(String name, @JsonProperty("enum") List<String> values, String pattern,
            List<String> pathPrefix) {

        static ArgumentView of(ArgumentRule rule) {
            return new ArgumentView(rule.name(), rule.values(), rule.pattern() == null ? null
                    : rule.pattern().pattern(), rule.pathPrefix());
        }
    }

    record CommandList(long maxTimeoutSeconds, List<CommandView> items) {
    }
}
