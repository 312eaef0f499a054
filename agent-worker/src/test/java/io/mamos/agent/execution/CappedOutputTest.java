package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CappedOutputTest {

    @Test
    void keepsEverythingUpToTheCap() {
        CappedOutput output = CappedOutput.headAndTail(10);

        write(output, "0123456789");

        assertThat(output.text()).isEqualTo("0123456789");
        assertThat(output.truncated()).isFalse();
        assertThat(output.totalBytes()).isEqualTo(10);
    }

    @Test
    void keepsHeadAndTailWithAMarkerBeyondTheCap() {
        CappedOutput output = CappedOutput.headAndTail(10);

        write(output, "abcdeXXXXXXXXXXvwxyz");

        assertThat(output.text()).isEqualTo("abcde\n[... 10 bytes omitted by mamos-agent ...]\nvwxyz");
        assertThat(output.truncated()).isTrue();
        assertThat(output.totalBytes()).isEqualTo(20);
    }

    @Test
    void keepsTheRightTailAcrossManySmallWrites() {
        CappedOutput output = CappedOutput.headAndTail(8);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String chunk = Integer.toString(i % 7) + (char) ('a' + i % 26);
            all.append(chunk);
            write(output, chunk);
        }

        String expected = all.substring(0, 4) + "\n[... " + (all.length() - 8) + " bytes omitted by mamos-agent ...]\n"
                + all.substring(all.length() - 4);
        assertThat(output.text()).isEqualTo(expected);
    }

    @Test
    void tailOnlyKeepsTheLatestBytes() {
        CappedOutput recent = CappedOutput.tailOnly(4);

        write(recent, "hello ");
        write(recent, "world");

        assertThat(recent.text()).isEqualTo("orld");
    }

    private static void write(CappedOutput output, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        output.write(bytes, 0, bytes.length);
    }
}
