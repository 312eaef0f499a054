package io.mamos.cli;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What of one run's output is new since it was last looked at. While a command runs, the API
 * shows the byte count of its output so far and the last few KiB of it (stdout and stderr as they
 * interleaved); when it ends, its (capped) stdout and stderr. The byte counts say how much of the
 * tail has not been printed yet; output that scrolled out of the tail between two looks is said
 * to be skipped rather than silently lost.
 */
final class RunOutput {

    private long printedBytes;

    /** New output from a running command's progress; empty when there is none. */
    String progress(long outputBytes, String tail) {
        long fresh = outputBytes - printedBytes;
        if (fresh <= 0 || tail == null) {
            return "";
        }
        byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
        printedBytes = outputBytes;
        if (fresh > tailBytes.length) {
            return "[… " + (fresh - tailBytes.length) + " bytes not shown …]\n" + tail;
        }
        return decode(Arrays.copyOfRange(tailBytes, tailBytes.length - (int) fresh, tailBytes.length));
    }

    /**
     * The rest of a finished run's output. Nothing printed yet: all of stdout, then stderr. Else the
     * part after what progress showed, taken from the end of the output.
     */
    String finished(String stdout, String stderr) {
        String out = stdout == null ? "" : stdout;
        String err = stderr == null ? "" : stderr;
        if (printedBytes == 0) {
            printedBytes = -1;
            return out + (err.isEmpty() || out.isEmpty() || out.endsWith("\n") ? "" : "\n") + err;
        }
        if (printedBytes < 0) {
            return "";
        }
        byte[] all = (out + err).getBytes(StandardCharsets.UTF_8);
        long rest = all.length - printedBytes;
        printedBytes = -1;
        if (rest <= 0) {
            return "";
        }
        return decode(Arrays.copyOfRange(all, all.length - (int) Math.min(rest, all.length), all.length));
    }

    /** Bytes cut inside a UTF-8 sequence come out as U+FFFD instead of failing. */
    private static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
