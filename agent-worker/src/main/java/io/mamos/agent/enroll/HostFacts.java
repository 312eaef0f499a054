package io.mamos.agent.enroll;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the orchestrator is told about this machine at enrollment.
 *
 * @param hostname the machine's name
 * @param os       operating system name, kernel version and architecture
 */
public record HostFacts(String hostname, String os) {

    /** Where Linux keeps the kernel's hostname; reading it needs no DNS lookup. */
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    /** @param hostnameOverride the name to report instead of the detected one, or {@code null} */
    public static HostFacts detect(String hostnameOverride) {
        String hostname = hostnameOverride != null && !hostnameOverride.isBlank()
                ? hostnameOverride.trim()
                : detectHostname();
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " (" + System.getProperty("os.arch") + ")";
        return new HostFacts(hostname, os);
    }

    private static String detectHostname() {
        try {
            String kernel = Files.readString(KERNEL_HOSTNAME).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | UnsupportedOperationException notLinux) {
            // Fall back to the JDK's view below.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
