package org.inertia.nn.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.cpu.KernelPool;

/**
 * Starts a test class's {@code main} in a fresh JVM with this JVM's class path, the flags the library
 * needs, and this JVM's kernel thread count (so results are comparable bit for bit). Output goes to a
 * log file, returned with the process so a failure can show it.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** A started child and the file that collects its stdout and stderr. */
    public record Child(Process process, Path log) {
        /** Waits up to {@code seconds}; fails with the log if the child does not end with status 0. */
        public void awaitSuccess(long seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child JVM did not finish in " + seconds + " s; log:\n" + output());
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("child JVM exited with " + process.exitValue() + "; log:\n" + output());
            }
        }

        public String output() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        }
    }

    /** Starts {@code main} with extra JVM options and program arguments. */
    public static Child start(Class<?> main, Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx512m");
        cmd.add("-Dinertia.threads=" + KernelPool.get().threads());
        String bits = System.getProperty("inertia.simd.bits");
        if (bits != null) {
            cmd.add("-Dinertia.simd.bits=" + bits);
        }
        String simd = System.getProperty("inertia.simd"); // the scalar-provider run: the child computes as we do
        if (simd != null) {
            cmd.add("-Dinertia.simd=" + simd);
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        return new Child(pb.start(), log);
    }
}
