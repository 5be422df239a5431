package org.inertia.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.testing.ChildJvm;
import org.inertia.nn.testing.TrainingRun;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a child JVM trains and saves checkpoints back to back (resuming from the last one when
 * it starts) and is killed with SIGKILL at random moments, most of them in the middle of writing the
 * file; after every kill the checkpoint must load, verify, and hold exactly the state of the last
 * completed save (or the one completing as the kill came). Every other kill waits until the save's
 * temporary file exists, so at least half land inside a write. Kills: {@code -Dinertia.test.kills} (6).
 */
class CheckpointCrashTest {
    private static final int FLOATS = 1 << 20; // 4 MiB of parameter + 4 MiB of momentum per checkpoint
    private static final Pattern SAVED = Pattern.compile("saved (\\d+) in (\\d+) ms");

    @TempDir
    Path dir;

    /** One big parameter and a small one: enough bytes that a kill usually lands mid-write. */
    static final class Blob extends Module {
        final Tensor w = parameter("w", Tensor.parameter(NdArray.zeros(Dtype.F32, FLOATS)));
        final Tensor b = parameter("b", Tensor.parameter(NdArray.zeros(Dtype.F32, 7)));
        final NdArray gw = NdArray.zeros(Dtype.F32, FLOATS);
        final NdArray gb = NdArray.zeros(Dtype.F32, 7);
        final Sgd sgd = new Sgd();

        Blob() {
            sgd.addGroup(Sgd.hyper().lr(0.01).momentum(0.9).build(), new Params(w.data(), gw), new Params(b.data(), gb));
        }

        /** One step with a gradient that depends on the step, so every checkpoint's content differs. */
        void step() {
            long k = sgd.steps() + 1;
            org.inertia.kernels.cpu.CpuBackend.get().elementwise().fill(gw, Math.sin(k));
            org.inertia.kernels.cpu.CpuBackend.get().elementwise().fill(gb, k);
            sgd.step();
        }

        Optimizer<?> optimizer() {
            return sgd;
        }

        @Override
        protected void releaseBuffers() {
            sgd.close();
            gw.close();
            gb.close();
        }
    }

    /** The child: resume from {@code args[0]} if it exists, then step and save until killed (or 60 s). */
    public static final class Saver {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]);
            try (Blob m = new Blob()) {
                Checkpoint c = Checkpoint.of(m).optimizer(m.optimizer());
                if (Files.exists(file)) {
                    c.load(file);
                }
                System.out.println("resumed at " + m.sgd.steps());
                long end = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < end) {
                    m.step();
                    long t0 = System.nanoTime();
                    c.save(file);
                    System.out.println("saved " + m.sgd.steps() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                    System.out.flush();
                }
            }
        }
    }

    @Test
    void sigkillDuringSavesNeverLosesTheLastCheckpoint() throws Exception {
        int kills = Integer.getInteger("inertia.test.kills", 6);
        Path file = dir.resolve("blob.ckpt");
        Random rnd = new Random(20240601);
        int midWrite = 0;
        try (Blob reference = new Blob()) {
            for (int i = 0; i < kills; i++) {
                Path log = dir.resolve("saver-" + i + ".log");
                ChildJvm.Child child = ChildJvm.start(Saver.class, log, List.of(), file.toString());
                long startedAt = Files.exists(file) ? Checkpoint.inspect(file).steps() : 0;
                long[] ack = awaitSave(child, startedAt, 60_000);
                if (i % 2 == 0) {
                    Thread.sleep(rnd.nextInt((int) Math.max(ack[1], 1) * 3 + 10)); // anywhere in the next saves
                } else {
                    awaitTemporaryFile(child, 10_000); // the write has begun: kill inside it
                    Thread.sleep(rnd.nextInt(4));
                }
                child.process().destroyForcibly(); // SIGKILL on Linux and macOS
                child.process().waitFor();
                long acknowledged = lastSave(child.output())[0];
                try (var s = Files.list(dir)) {
                    List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
                    if (!tmp.isEmpty()) {
                        midWrite++;
                    }
                    for (Path p : tmp) {
                        Files.delete(p); // what a restarted job may do; the next save never reuses a name anyway
                    }
                }
                Checkpoint.Info info = Checkpoint.inspect(file); // verifies the checksum
                long steps = info.steps();
                assertTrue(steps == acknowledged || steps == acknowledged + 1,
                        "kill " + i + ": checkpoint at step " + steps + " but the child had acknowledged " + acknowledged);
                try (Blob loaded = new Blob()) {
                    Checkpoint.of(loaded).optimizer(loaded.optimizer()).load(file);
                    while (reference.sgd.steps() < steps) {
                        reference.step();
                    }
                    assertArrayEquals(TrainingRun.bits(reference.w.data()), TrainingRun.bits(loaded.w.data()));
                    assertArrayEquals(TrainingRun.bits(reference.sgd.group().state(0, "momentum_buffer")),
                            TrainingRun.bits(loaded.sgd.group().state(0, "momentum_buffer")));
                }
            }
        }
        System.out.println("CheckpointCrashTest: " + kills + " SIGKILLs, " + midWrite
                + " of them mid-write (temporary file left behind); every checkpoint loaded and matched its step");
    }

    private void awaitTemporaryFile(ChildJvm.Child child, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end && child.process().isAlive()) {
            try (var s = Files.list(dir)) {
                if (s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"))) {
                    return;
                }
            }
        }
        throw new AssertionError("no save began within " + timeoutMs + " ms; log:\n" + child.output());
    }

    /** Waits for the child's first save after {@code after}; returns {step, milliseconds}. */
    private static long[] awaitSave(ChildJvm.Child child, long after, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            long[] last = lastSave(child.output());
            if (last[0] > after) {
                return last;
            }
            if (!child.process().isAlive()) {
                throw new AssertionError("saver died; log:\n" + child.output());
            }
            Thread.sleep(5);
        }
        child.process().destroyForcibly();
        throw new AssertionError("saver did not save within " + timeoutMs + " ms; log:\n" + child.output());
    }

    private static long[] lastSave(String log) {
        Matcher m = SAVED.matcher(log);
        long[] last = {0, 0};
        while (m.find()) {
            last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }
        return last;
    }
}
