package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Objects;

/**
 * One command exactly as it will be executed: a whitelisted name, the executable the policy
 * maps it to, and the literal argument vector. No shell ever interprets any of it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandSpec(String name, String executable, List<String> args) {

    public CommandSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executable, "executable");
        args = args == null ? List.of() : List.copyOf(args);
    }
}
