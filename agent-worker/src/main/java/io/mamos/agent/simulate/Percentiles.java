package io.mamos.agent.simulate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nearest-rank percentiles of latencies in milliseconds. */
final class Percentiles {

    private Percentiles() {
    }

    static double of(double[] sortedMillis, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sortedMillis.length);
        return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, rank - 1))];
    }

    /** n, min, p50, p95, p99, max and mean, rounded to 0.1 ms. */
    static Map<String, Object> summary(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("n", sorted.length);
        summary.put("min_ms", round(sorted[0]));
        summary.put("p50_ms", round(of(sorted, 50)));
        summary.put("p95_ms", round(of(sorted, 95)));
        summary.put("p99_ms", round(of(sorted, 99)));
        summary.put("max_ms", round(sorted[sorted.length - 1]));
        summary.put("mean_ms", round(Arrays.stream(sorted).average().orElse(0)));
        return summary;
    }

    private static double round(double millis) {
        return Math.round(millis * 10) / 10.0;
    }
}
