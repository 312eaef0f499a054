package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AllowlistTest {

    private final Allowlist allowlist = Allowlist.parse("/usr/bin/echo, /usr/bin/date");

    @Test
    void permitsAListedExecutable() throws Exception {
        assertThat(allowlist.requirePermitted("/usr/bin/echo")).isEqualTo(Path.of("/usr/bin/echo"));
    }

    @Test
    void refusesAnUnlistedExecutable() {
        assertThatThrownBy(() -> allowlist.requirePermitted("/usr/bin/rm"))
                .isInstanceOf(CommandRefusedException.class)
                .hasMessageContaining("/usr/bin/rm is not in this agent's allowlist");
    }

    @Test
    void refusesARelativeExecutableEvenIfItsNameIsListed() {
        assertThatThrownBy(() -> allowlist.requirePermitted("echo"))
                .isInstanceOf(CommandRefusedException.class)
                .hasMessageContaining("absolute path");
    }

    @Test
    void comparesNormalizedPaths() throws Exception {
        assertThat(allowlist.requirePermitted("/usr/bin/../bin/./echo")).isEqualTo(Path.of("/usr/bin/echo"));
        assertThatThrownBy(() -> allowlist.requirePermitted("/usr/bin/echo/../rm"))
                .isInstanceOf(CommandRefusedException.class);
    }

    @Test
    void refusesAMissingExecutable() {
        assertThatThrownBy(() -> allowlist.requirePermitted(null)).isInstanceOf(CommandRefusedException.class);
        assertThatThrownBy(() -> allowlist.requirePermitted("/usr/bin/echo\0")).isInstanceOf(CommandRefusedException.class);
    }

    @Test
    void rejectsRelativeEntries() {
        assertThatThrownBy(() -> Allowlist.parse("/usr/bin/echo,date"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("date");
    }

    @Test
    void pathRulesSurviveTheConfigFileRoundTrip() {
        Allowlist withRules = Allowlist.parse("/usr/bin/echo,/usr/bin/cat=/var/log/|/proc/cpuinfo");

        assertThat(Allowlist.parse(withRules.toConfigValue())).isEqualTo(withRules);
        assertThat(withRules.toConfigValue()).isEqualTo("/usr/bin/cat=/var/log/|/proc/cpuinfo,/usr/bin/echo");
    }

    @Test
    void argumentsOfAnExecutableWithoutAPathRuleAreUntouched() throws Exception {
        Allowlist withRules = Allowlist.parse("/usr/bin/echo,/usr/bin/cat=/var/log/");

        assertThat(withRules.permittedArguments(Path.of("/usr/bin/echo"), java.util.List.of("/etc/shadow")))
                .containsExactly("/etc/shadow");
    }

    @Test
    void theDefaultCatRuleRefusesShadowAndItsSymlinksButNotProcFiles() throws Exception {
        Allowlist defaults = Allowlist.parse(Allowlist.DEFAULT_EXECUTABLES);
        Path cat = Path.of("/usr/bin/cat");

        assertThatThrownBy(() -> defaults.permittedArguments(cat, java.util.List.of("/etc/shadow")))
                .isInstanceOf(CommandRefusedException.class);
        assertThatThrownBy(() -> defaults.permittedArguments(cat, java.util.List.of("/var/log/../../etc/shadow")))
                .isInstanceOf(CommandRefusedException.class);
        assertThat(defaults.permittedArguments(cat, java.util.List.of("/proc/cpuinfo"))).containsExactly("/proc/cpuinfo");
    }

    @Test
    void rejectsARelativeAllowedPath() {
        assertThatThrownBy(() -> Allowlist.parse("/usr/bin/cat=var/log/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultMatchesTheDefaultPolicy() {
        assertThat(Allowlist.parse(Allowlist.DEFAULT_EXECUTABLES).executables()).extracting(Path::toString)
                .containsExactlyInAnyOrder("/usr/bin/echo", "/usr/bin/sleep", "/usr/bin/uname", "/usr/bin/uptime",
                        "/usr/bin/df", "/usr/bin/free", "/usr/bin/hostname", "/usr/bin/date", "/usr/bin/true",
                        "/usr/bin/false", "/usr/bin/cat", "/usr/bin/vmstat");
    }
}
