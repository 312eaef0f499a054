package io.mamos.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void concurrentFirstStartsSharingTheFolderAllEndWithTheSameSecret() throws Exception {
        int starters = 8;
        var barrier = new CyclicBarrier(starters);
        var generated = new AtomicInteger();
        Path file = dir.resolve("jwt-signing-key.pem");
        var pool = Executors.newFixedThreadPool(starters);
        try {
            List<Future<String>> secrets = new ArrayList<>();
            for (int i = 0; i < starters; i++) {
                String mine = "secret-" + i;
                secrets.add(pool.submit(() -> {
                    barrier.await();
                    return DataDirectory.readOrCreateSecret(file, () -> {
                        generated.incrementAndGet();
                        return mine;
                    });
                }));
            }
            Set<String> seen = new java.util.HashSet<>();
            for (Future<String> secret : secrets) {
                seen.add(secret.get());
            }
            assertThat(seen).hasSize(1);
            assertThat(Files.readString(file).strip()).isEqualTo(seen.iterator().next());
        } finally {
            pool.shutdownNow();
        }
        assertThat(generated.get()).isPositive();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        // No temporary file is left behind, whoever won.
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("jwt-signing-key.pem");
        }
    }

    @Test
    void anExistingSecretIsReadNotReplaced() throws Exception {
        Path file = dir.resolve("admin-password");
        Files.writeString(file, "kept\n");
        assertThat(DataDirectory.readOrCreateSecret(file, () -> "new")).isEqualTo("kept");
    }
}
