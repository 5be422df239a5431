package org.inertia.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.nn.Module;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.testing.TrainingRun;
import org.inertia.nn.testing.TrainingRun.Method;
import org.inertia.nn.layers.Dropout;
import org.inertia.nn.layers.Linear;
import org.inertia.optim.Sgd;
import org.inertia.nn.testing.PropertyTempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointTest {
    @TempDir
    Path dir;

    private static final int N = 13; // into the second epoch (9 batches each), mid-epoch
    private static final int M = 11;

    /** Everything a load may change, to show a rejected load changed nothing. */
    private record Snapshot(Map<String, int[]> bits, long steps, DataLoader.State loader, long dropoutState) {
        static Snapshot of(TrainingRun r) {
            return new Snapshot(r.stateBits(), r.optimizer.steps(), r.loader.state(),
                    ((SplitMix64) r.net.namedGenerators().get("drop.rng")).state());
        }

        void assertSame(Snapshot other) {
            assertEquals(bits.keySet(), other.bits.keySet());
            bits.forEach((k, v) -> assertArrayEquals(v, other.bits.get(k), k + " changed"));
            assertEquals(steps, other.steps, "optimizer steps changed");
            assertEquals(loader, other.loader, "data loader state changed");
            assertEquals(dropoutState, other.dropoutState, "dropout generator changed");
        }
    }

    private static void assertSameBits(Map<String, int[]> want, Map<String, int[]> got) {
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));
    }

    // ---------------------------------------------------------------- resuming

    @ParameterizedTest
    @EnumSource(Method.class)
    void resumingContinuesBitIdentically(Method method) throws IOException {
        Map<String, int[]> reference;
        double[] referenceLosses;
        try (TrainingRun r = new TrainingRun(method, 1)) {
            referenceLosses = r.train(N + M);
            reference = r.stateBits();
        }
        Path file = dir.resolve("run.ckpt");
        try (TrainingRun first = new TrainingRun(method, 1)) {
            first.train(N);
            first.checkpoint().metadata("note", "after " + N + " steps").save(file);
        }
        try (TrainingRun resumed = new TrainingRun(method, 2)) { // other weights and dropout seed: load must replace them
            Checkpoint.Info info = resumed.checkpoint().load(file);
            assertEquals(N, info.steps());
            assertEquals("after 13 steps", info.metadata().get("note"));
            assertEquals(new DataLoader.State(1, 4, TrainingRun.SAMPLES, TrainingRun.BATCH, true, 77, false),
                    info.dataLoaders().get("data_loader"));
            double[] losses = resumed.train(M);
            assertArrayEquals(Arrays.copyOfRange(referenceLosses, N, N + M), losses, method + " losses");
            assertSameBits(reference, resumed.stateBits());
            assertEquals(N + M, resumed.optimizer.steps());
        }
    }

    @Test
    void theFileIsSafetensorsWithPyTorchLikeNames() throws IOException {
        Path file = dir.resolve("a.ckpt");
        try (TrainingRun r = new TrainingRun(Method.ADAM_COSINE, 1)) {
            r.train(3);
            r.checkpoint().save(file);
            Map<String, NdArray> tensors = SafeTensors.load(file);
            try {
                assertTrue(tensors.keySet().containsAll(List.of("model.in.weight", "model.in.bias",
                        "model.bn.weight", "model.bn.running_mean", "model.bn.running_var", "model.out.weight",
                        "optimizer.0.0.exp_avg", "optimizer.0.0.exp_avg_sq")), tensors.keySet().toString());
                assertArrayEquals(r.net.bn.runningMean().toFloatArray(), tensors.get("model.bn.running_mean").toFloatArray());
            } finally {
                tensors.values().forEach(NdArray::close);
            }
            Map<String, String> meta = SafeTensors.metadata(file);
            assertEquals("inertia-checkpoint", meta.get("inertia.format"));
            assertEquals("1", meta.get("inertia.version"));
            assertEquals(64, meta.get("inertia.sha256").length());
            assertTrue(meta.get("inertia.optimizer.optimizer").contains("\"method\":\"adam\""));
            assertTrue(meta.get("inertia.generators").contains("\"model.drop.rng\""));
        }
    }

    @Test
    void loadingOnlyTheModelOfATrainingCheckpointWorks() throws IOException {
        Path file = dir.resolve("a.ckpt");
        try (TrainingRun r = new TrainingRun(Method.SRSGD, 1); TrainingRun other = new TrainingRun(Method.SRSGD, 5)) {
            r.train(5);
            r.checkpoint().save(file);
            Checkpoint.of(other.net).load(file);
            assertSameBits(r.stateBits(), other.stateBits());
            assertEquals(0, other.optimizer.steps());
        }
    }

    // ---------------------------------------------------------------- hostile or mismatched files

    /** Loads {@code file} into a fresh run, expects a {@link CheckpointException} and no change at all. */
    private static CheckpointException rejected(Path file, TrainingRun target, String... fragments) {
        Snapshot before = Snapshot.of(target);
        CheckpointException e = assertThrows(CheckpointException.class, () -> target.checkpoint().load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        }
        before.assertSame(Snapshot.of(target));
        return e;
    }

    private Path saved(Method method, int steps, int hidden) throws IOException {
        Path file = dir.resolve(method + "-" + steps + "-" + hidden + ".ckpt");
        try (TrainingRun r = new TrainingRun(method, 1, hidden)) {
            r.train(steps);
            r.checkpoint().save(file);
        }
        return file;
    }

    @Test
    void corruptedTruncatedOrForeignFilesAreRejected() throws IOException {
        Path good = saved(Method.ADAM_COSINE, 4, 8);
        byte[] bytes = Files.readAllBytes(good);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        try (TrainingRun target = new TrainingRun(Method.ADAM_COSINE, 3)) {
            byte[] flipped = bytes.clone();
            flipped[(int) (8 + headerLength + 17)] ^= 0x10; // one bit of a parameter
            rejected(Files.write(dir.resolve("flipped.ckpt"), flipped), target, "content checksum mismatch",
                    "the file is corrupted");
            for (int cut : new int[] {0, 5, 8, 100, (int) headerLength + 8, bytes.length - 1}) {
                rejected(Files.write(dir.resolve("cut" + cut + ".ckpt"), Arrays.copyOf(bytes, cut)), target,
                        "not a readable checkpoint");
            }
            Path weights = dir.resolve("weights.safetensors");
            SafeTensors.saveModule(target.net, weights);
            rejected(weights, target, "not an Inertia checkpoint");
            Path wrongVersion = dir.resolve("v2.ckpt");
            Map<String, NdArray> t = SafeTensors.load(good);
            try {
                Map<String, String> meta = new java.util.LinkedHashMap<>(SafeTensors.metadata(good));
                meta.put("inertia.version", "2");
                SafeTensors.save(t, meta, wrongVersion);
            } finally {
                t.values().forEach(NdArray::close);
            }
            rejected(wrongVersion, target, "checkpoint version 2 is not supported");
            assertThrows(java.nio.file.NoSuchFileException.class, () -> target.checkpoint().load(dir.resolve("absent")));
        }
    }

    @Test
    void aWrongShapeRejectsTheWholeFile() throws IOException {
        Path file = saved(Method.ADAM_COSINE, 4, 8);
        try (TrainingRun wider = new TrainingRun(Method.ADAM_COSINE, 3, 9)) {
            rejected(file, wider, "nothing was loaded", "tensor model.in.weight is F32 [8, 16] in the file but F32 [9, 16]",
                    "tensor model.bn.running_mean is F32 [8] in the file but F32 [9]",
                    "optimizer optimizer: state exp_avg of group 0 parameter 0 is F32 [8, 16] but the parameter is F32 [9, 16]");
        }
    }

    /** The training net plus one more layer, or minus its output layer. */
    private static final class Grown extends Module {
        Grown(TrainingRun.Net net, boolean extra) {
            module("in", net.in);
            module("bn", net.bn);
            module("drop", net.drop);
            module("gate", net.gate);
            if (extra) {
                module("out", net.out);
                module("head", new Linear(3, 3, true, org.inertia.kernels.Dtype.F32, new SplitMix64(1)));
            }
        }
    }

    @Test
    void missingAndUnexpectedKeysAreNamed() throws IOException {
        Path file = saved(Method.SGD_NESTEROV_SCHEDULED, 3, 8);
        try (TrainingRun r = new TrainingRun(Method.SGD_NESTEROV_SCHEDULED, 3)) {
            Module bigger = new Grown(r.net, true);
            Map<String, int[]> before = r.stateBits();
            var e = assertThrows(CheckpointException.class, () -> Checkpoint.of(bigger).load(file));
            assertTrue(e.getMessage().contains("module model has tensors the file lacks (missing keys): "
                    + "[model.head.weight, model.head.bias]"), e.getMessage());
            Module smaller = new Grown(r.net, false);
            e = assertThrows(CheckpointException.class, () -> Checkpoint.of(smaller).load(file));
            assertTrue(e.getMessage().contains("the file has tensors module model lacks (unexpected keys): "
                    + "[model.out.bias, model.out.weight]"), e.getMessage());
            assertSameBits(before, r.stateBits());
            var noOptimizer = assertThrows(CheckpointException.class,
                    () -> Checkpoint.of(r.net).optimizer("other", r.optimizer).load(file));
            assertTrue(noOptimizer.getMessage().contains("the file holds no optimizer other"), noOptimizer.getMessage());
            assertSameBits(before, r.stateBits());
            bigger.close(); // also closes the shared layers; r's own close is then harmless
        }
    }

    @Test
    void anotherOptimizerScheduleOrDataOrderIsRejected() throws IOException {
        Path adam = saved(Method.ADAM_COSINE, 4, 8);
        try (TrainingRun sgd = new TrainingRun(Method.SGD_NESTEROV_SCHEDULED, 3)) {
            rejected(adam, sgd, "optimizer optimizer is adam in the file but sgd here");
        }
        Path sgdFile = saved(Method.SGD_NESTEROV_SCHEDULED, 4, 8);
        try (TrainingRun target = new TrainingRun(Method.SGD_NESTEROV_SCHEDULED, 3)) {
            target.optimizer.group().lrSchedule(org.inertia.optim.Schedule.constant(0.05)); // saved: step(0.1, 7, 0.5)
            rejected(sgdFile, target, "optimizer optimizer group 0: the learning rate for step 5 is 0.1 in the file "
                    + "but 0.05 here (lr schedule)");
        }
        try (TrainingRun target = new TrainingRun(Method.SGD_NESTEROV_SCHEDULED, 3)) {
            target.optimizer.group().momentumSchedule(t -> 0.9);
            rejected(sgdFile, target, "the momentum for step 5 is 0.7", "in the file but 0.9 here");
        }
        try (TrainingRun target = new TrainingRun(Method.SGD_NESTEROV_SCHEDULED, 3);
             DataLoader reseeded = DataLoader.builder(target.images, target.labels).batchSize(TrainingRun.BATCH)
                     .shuffle(78).layout(DataLoader.Layout.FLAT).build()) {
            Snapshot before = Snapshot.of(target);
            var e = assertThrows(CheckpointException.class,
                    () -> Checkpoint.of(target.net).optimizer(target.optimizer).dataLoader(reseeded).load(sgdFile));
            assertTrue(e.getMessage().contains("data loader data_loader: state has shuffle true with seed 77, "
                    + "the loader shuffle true with seed 78"), e.getMessage());
            before.assertSame(Snapshot.of(target));
        }
    }

    @Test
    void generatorsWithoutExportableStateAreRefused() throws IOException {
        Path file = dir.resolve("never.ckpt");
        try (Dropout legacy = new Dropout(0.5, new Random(1))) {
            var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(legacy).save(file));
            assertTrue(e.getMessage().contains("generator model.rng is a java.util.Random"), e.getMessage());
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void aFailedSaveKeepsThePreviousCheckpointAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("run.ckpt");
        try (TrainingRun r = new TrainingRun(Method.ADAM_COSINE, 1)) {
            r.train(2);
            r.checkpoint().save(file);
            byte[] previous = Files.readAllBytes(file);
            r.train(2);
            IOException e = assertThrows(IOException.class, () -> r.checkpoint().save(file, name -> {
                throw new IOException("disk full (simulated) after " + name);
            }));
            assertTrue(e.getMessage().contains("disk full"), e.getMessage());
            assertArrayEquals(previous, Files.readAllBytes(file));
            assertEquals(2, Checkpoint.inspect(file).steps());
            try (var s = Files.list(dir)) {
                assertEquals(List.of(file), s.toList());
            }
        }
    }

    @Test
    void closedPartsAreRefusedBeforeTheFileIsTouched() throws IOException {
        Path file = saved(Method.ADAM_COSINE, 2, 8);
        TrainingRun r = new TrainingRun(Method.ADAM_COSINE, 1);
        Checkpoint c = r.checkpoint();
        r.close();
        var e = assertThrows(IllegalStateException.class, () -> c.load(file));
        assertTrue(e.getMessage().contains("optimizer optimizer is closed"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Checkpoint.of(r.net).load(file));
        assertTrue(e.getMessage().contains("module model is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> c.save(dir.resolve("x.ckpt")));
        assertFalse(Files.exists(dir.resolve("x.ckpt")));
    }

    @Test
    void partNamesAreChecked() {
        try (Sgd sgd = new Sgd()) {
            Checkpoint c = new Checkpoint();
            c.optimizer("opt", sgd);
            assertThrows(IllegalArgumentException.class, () -> c.optimizer("opt", sgd));
            var e = assertThrows(IllegalArgumentException.class, () -> c.generator("a.b", new SplitMix64(1)));
            assertTrue(e.getMessage().contains("'a.b'"), e.getMessage());
            assertThrows(NullPointerException.class, () -> c.module("m", null));
        }
    }

    // ---------------------------------------------------------------- random damage

    private final PropertyTempDir tmpDir = new PropertyTempDir("ckpt-fuzz"); // jqwik properties do not get @TempDir
    private static byte[] pristine;

    private Path tmp() {
        return tmpDir.get();
    }

    @AfterProperty
    void cleanup() throws IOException {
        tmpDir.clear();
    }

    /**
     * Any truncation or 1–4 flipped bits anywhere in a checkpoint: the load either is refused with a
     * {@link CheckpointException} naming the file, changing nothing, or (if the damage hit nothing that
     * counts, which the checksum makes all but impossible) gives exactly the saved state.
     */
    @Property(tries = 120)
    void randomDamageIsDetected(@ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        Path file = tmp().resolve("good.ckpt");
        if (pristine == null) {
            try (TrainingRun r = new TrainingRun(Method.SRSGD, 1)) {
                r.train(5);
                r.checkpoint().save(file);
            }
            pristine = Files.readAllBytes(file);
        }
        byte[] b = pristine.clone();
        if (rnd.nextInt(4) == 0) {
            b = Arrays.copyOf(b, rnd.nextInt(b.length));
        } else {
            for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
        }
        Path damaged = Files.write(tmp().resolve("damaged.ckpt"), b);
        try (TrainingRun target = new TrainingRun(Method.SRSGD, 3)) {
            Snapshot before = Snapshot.of(target);
            try {
                target.checkpoint().load(damaged);
                assertTrue(Arrays.equals(b, pristine), "a damaged file loaded");
            } catch (CheckpointException expected) {
                assertTrue(expected.getMessage().startsWith(damaged.toString()), expected.getMessage());
                before.assertSame(Snapshot.of(target));
            } catch (Throwable t) {
                fail("expected CheckpointException, got " + t, t);
            }
        }
    }

    @Test
    void theNextSaveRemovesTemporaryFilesThatKilledSavesLeft() throws Exception {
        Path file = dir.resolve("last.ckpt");
        Path stale = Files.writeString(dir.resolve(".last.ckpt.3k9x1a.tmp"), "half a checkpoint");
        Path otherTarget = Files.writeString(dir.resolve(".other.ckpt.3k9x1a.tmp"), "another file's save");
        Path unrelated = Files.writeString(dir.resolve("notes.tmp"), "not ours");
        try (Linear net = new Linear(3, 2, new SplitMix64(1))) {
            Checkpoint.of(net).save(file);
        }
        assertFalse(Files.exists(stale), "the stale temporary file of last.ckpt is still there");
        assertTrue(Files.exists(otherTarget) && Files.exists(unrelated), "files of other targets must stay");
        assertTrue(Files.size(file) > 0);
    }
}
