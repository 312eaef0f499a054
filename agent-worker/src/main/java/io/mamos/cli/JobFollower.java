package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows one job to its end: each agent's output as it arrives (prefixed by its host, or grouped
 * per host when its run ends), a progress line on a terminal, then a summary table. Woken by the
 * live feed, and polling as a fallback. Exits 0 only when every run succeeded.
 */
final class JobFollower {

    /** How often the job is re-read when the live feed says nothing (or is not there). */
    static final Duration POLL = Duration.ofSeconds(2);
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "AGENT_OFFLINE",
            "AGENT_LOST", "REFUSED", "CANCELED", "SKIPPED");

    private final Api api;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean grouped;
    private final Console console;
    private final Map<String, RunOutput> outputs = new HashMap<>();
    private final Map<String, StringBuilder> partialLines = new HashMap<>();
    private final Map<String, Boolean> groupPrinted = new HashMap<>();
    private int prefixWidth;
    private boolean progressShown;
    private boolean cancelRequested;

    /**
     * @param console the terminal when stdin and stdout are one (progress line, Ctrl-C prompt); else null
     */
    JobFollower(Api api, PrintWriter out, PrintWriter err, boolean json, boolean grouped, Console console) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.json = json;
        this.grouped = grouped;
        this.console = console;
    }

    static boolean isTerminal(String state) {
        return TERMINAL.contains(state);
    }

    int follow(String jobId, Interrupts interrupts) {
        long started = System.nanoTime();
        try (LiveFeed feed = LiveFeed.open(api, jobId)) {
            Runnable wake = feed == null ? () -> { } : feed::wake;
            interrupts.onInterrupt(wake);
            while (true) {
                JsonNode job = api.get("/api/v1/jobs/" + jobId);
                List<JsonNode> runs = runs(api, jobId);
                boolean done = isTerminal(job.path("state").asText());
                if (!json) {
                    show(runs, done);
                    if (!done) {
                        progress(job, runs, started);
                    }
                }
                if (done) {
                    clearProgress();
                    return finish(job, runs);
                }
                int interrupted = interrupts.take();
                if (interrupted > 0 && !interrupted(jobId, interrupted)) {
                    clearProgress();
                    err.println("Detached: job " + jobId + " runs on. Follow it with: mamos jobs watch " + jobId);
                    err.flush();
                    return CliExit.DETACHED;
                }
                try {
                    if (feed != null) {
                        feed.await(POLL);
                    } else {
                        Thread.sleep(POLL.toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CliExit.DETACHED;
                }
            }
        }
    }

    /** Every run of the job, page after page. */
    static List<JsonNode> runs(Api api, String jobId) {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode answer = api.get("/api/v1/jobs/" + jobId + "/runs?size=500&page=" + page);
            answer.path("items").forEach(all::add);
            if (answer.path("items").isEmpty() || all.size() >= answer.path("total").asLong()) {
                return all;
            }
        }
    }

    /**
     * Ctrl-C: on a terminal, ask; elsewhere the first one cancels the job (whoever stops a script
     * wants its work stopped) and a second one detaches. Returns false to detach.
     */
    private boolean interrupted(String jobId, int count) {
        clearProgress();
        if (console == null) {
            if (cancelRequested || count > 1) {
                return false;
            }
            cancel(jobId);
            return true;
        }
        String answer = console.readLine("%nJob %s is still running. [c]ancel it, [d]etach, or keep [w]atching? ",
                jobId);
        if (answer == null || answer.strip().toLowerCase().startsWith("d")) {
            return false;
        }
        if (answer.strip().toLowerCase().startsWith("c")) {
            cancel(jobId);
        }
        return true;
    }

    private void cancel(String jobId) {
        if (!cancelRequested) {
            api.post("/api/v1/jobs/" + jobId + "/cancel", null);
            cancelRequested = true;
            err.println("Cancelling job " + jobId + "; its running processes are being killed.");
            err.flush();
        }
    }

    private void show(List<JsonNode> runs, boolean jobDone) {
        for (JsonNode run : runs) {
            prefixWidth = Math.max(prefixWidth, host(run).length());
        }
        for (JsonNode run : runs) {
            String key = run.path("agentId").asText();
            RunOutput output = outputs.computeIfAbsent(key, k -> new RunOutput());
            String state = run.path("state").asText();
            boolean runDone = isTerminal(state);
            if (grouped) {
                if ((runDone || jobDone) && !groupPrinted.containsKey(key)) {
                    groupPrinted.put(key, true);
                    printGroup(run, output.finished(run.path("stdout").asText(""), run.path("stderr").asText("")));
                }
                continue;
            }
            String fresh = runDone || jobDone
                    ? output.finished(run.path("stdout").asText(""), run.path("stderr").asText(""))
                    : output.progress(run.path("progress").path("outputBytes").asLong(0),
                            run.path("progress").path("tail").asText(null));
            printPrefixed(key, host(run), fresh, runDone || jobDone);
        }
        out.flush();
    }

    private void printPrefixed(String key, String host, String text, boolean flushPartial) {
        StringBuilder pending = partialLines.computeIfAbsent(key, k -> new StringBuilder());
        pending.append(text);
        int newline;
        while ((newline = pending.indexOf("\n")) >= 0) {
            printLine(host, pending.substring(0, newline));
            pending.delete(0, newline + 1);
        }
        if (flushPartial && !pending.isEmpty()) {
            printLine(host, pending.toString());
            pending.setLength(0);
        }
    }

    private void printLine(String host, String line) {
        clearProgress();
        out.println(String.format("%-" + prefixWidth + "s | %s", host, line));
    }

    private void printGroup(JsonNode run, String text) {
        clearProgress();
        out.println("== " + host(run) + " (" + run.path("state").asText() + exit(run) + ") ==");
        if (!text.isEmpty()) {
            out.print(text.endsWith("\n") ? text : text + "\n");
        }
    }

    private void progress(JsonNode job, List<JsonNode> runs, long startedNanos) {
        if (console == null) {
            return;
        }
        long done = runs.stream().filter(run -> isTerminal(run.path("state").asText())).count();
        long failed = runs.stream().filter(run -> isTerminal(run.path("state").asText())
                && !"SUCCEEDED".equals(run.path("state").asText())).count();
        long running = runs.stream().filter(run -> "RUNNING".equals(run.path("state").asText())).count();
        String line = String.format("[%d/%d done, %d failed, %d running, %s] job %s %s", done,
                Math.max(runs.size(), job.path("runCount").asInt()), failed, running,
                Format.duration((System.nanoTime() - startedNanos) / 1_000_000), job.path("id").asText(),
                job.path("state").asText());
        out.print("\r\033[K" + line);
        out.flush();
        progressShown = true;
    }

    private void clearProgress() {
        if (progressShown) {
            out.print("\r\033[K");
            out.flush();
            progressShown = false;
        }
    }

    private int finish(JsonNode job, List<JsonNode> runs) {
        boolean succeeded = "SUCCEEDED".equals(job.path("state").asText());
        if (json) {
            ObjectNode result = Api.JSON.createObjectNode();
            result.set("job", job);
            ArrayNode array = result.putArray("runs");
            runs.forEach(array::add);
            out.println(Output.pretty(result));
        } else {
            out.println();
            out.print(summaryTable(runs).render());
            String error = job.hasNonNull("error") ? " — " + job.get("error").asText() : "";
            out.println("job " + job.path("id").asText() + " " + job.path("state").asText() + ": "
                    + Format.summary(job.path("summary"))
                    + (job.hasNonNull("durationMillis") ? " in " + Format.duration(job.get("durationMillis")) : "")
                    + error);
        }
        out.flush();
        return succeeded ? CliExit.OK : CliExit.JOB_FAILED;
    }

    static Table summaryTable(List<JsonNode> runs) {
        Table table = new Table("HOST", "AGENT", "STATE", "EXIT", "DURATION", "ERROR");
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        runs.forEach(run -> ordered.put(run.path("agentId").asText(), run));
        for (JsonNode run : ordered.values()) {
            table.row(host(run), run.path("agentId").asText(), run.path("state").asText(),
                    run.hasNonNull("exitCode") ? run.get("exitCode").asInt() : null,
                    Format.duration(run.get("durationMillis")), run.path("error").asText(null));
        }
        return table;
    }

    static String host(JsonNode run) {
        return run.hasNonNull("hostname") ? run.get("hostname").asText() : run.path("agentId").asText();
    }

    private static String exit(JsonNode run) {
        return run.hasNonNull("exitCode") ? ", exit " + run.get("exitCode").asInt() : "";
    }
}
