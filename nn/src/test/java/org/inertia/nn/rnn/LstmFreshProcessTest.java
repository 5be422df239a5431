package org.inertia.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.io.Checkpoint;
import org.inertia.nn.ops.Losses;
import org.inertia.nn.testing.ChildJvm;
import org.inertia.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MomentumLSTM trained with Adam (fused sequence path: gate kernels, momentum scan, GEMMs) resumes
 * bit for bit in a fresh JVM: N steps, checkpoint, M more steps here — with the gate kernels compiled by
 * C2 beforehand — equals loading the checkpoint in a cold child JVM and taking the same M steps there.
 */
class LstmFreshProcessTest {
    private static final int N = 4;
    private static final int M = 3;
    private static final int BATCH = 3;
    private static final int STEPS = 12;
    private static final int HIDDEN = 35; // two 16-lane vectors (and four 8-lane ones) and a tail

    @TempDir
    Path dir;

    /** The model, data and optimizer, from fixed seeds. */
    static final class Run implements AutoCloseable {
        final Rnn rnn;
        final Adam adam = new Adam();
        final NdArray x = NdArray.zeros(Dtype.F32, BATCH, STEPS, 2);
        final int[] labels = new int[BATCH];

        Run(long initSeed) {
            Random r = new Random(initSeed);
            rnn = new Rnn(2, HIDDEN, 1, (i, h, l) -> new MomentumLstmCell(i, h, 0.6, 0.6, RecurrentInit.PYTORCH, Dtype.F32, r));
            Random data = new Random(99); // the data never changes with initSeed
            x.forEachOffset(o -> x.setAtOffset(o, data.nextGaussian()));
            for (int b = 0; b < BATCH; b++) {
                labels[b] = data.nextInt(HIDDEN);
            }
            rnn.zeroGrad();
            adam.addGroup(Adam.hyper().lr(0.05).build(), rnn.optimizerParams());
        }

        /** One step; returns the loss bits. */
        long step() {
            long bits;
            try (TensorScope s = TensorScope.open()) {
                Tensor loss = Losses.crossEntropy(rnn.forward(Tensor.constant(x.view())).lastHidden(), labels);
                bits = Double.doubleToRawLongBits(loss.item());
                loss.backward();
            }
            adam.step();
            rnn.zeroGrad();
            return bits;
        }

        String stateBits() {
            StringBuilder sb = new StringBuilder();
            for (Tensor p : rnn.parameters()) {
                for (float v : p.data().toFloatArray()) {
                    sb.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(',');
                }
            }
            return sb.toString();
        }

        Checkpoint checkpoint() {
            return Checkpoint.of(rnn).optimizer(adam);
        }

        @Override
        public void close() {
            rnn.close();
            adam.close();
            x.close();
        }
    }

    /** The child: load the checkpoint into a model built from another seed, take M steps, write the bits. */
    public static final class Resume {
        public static void main(String[] args) throws IOException {
            try (Run run = new Run(12345)) {
                run.checkpoint().load(Path.of(args[0]));
                StringBuilder losses = new StringBuilder();
                for (int k = 0; k < M; k++) {
                    losses.append(Long.toHexString(run.step())).append(',');
                }
                Files.writeString(Path.of(args[1]), losses + "\n" + run.stateBits());
            }
        }
    }

    @Test
    void momentumLstmResumesBitIdenticallyInAColdJvm() throws Exception {
        warmUpGateKernels();
        String expected;
        try (Run run = new Run(7)) {
            for (int k = 0; k < N; k++) {
                run.step();
            }
            run.checkpoint().save(dir.resolve("lstm.ckpt"));
            StringBuilder losses = new StringBuilder();
            for (int k = 0; k < M; k++) {
                losses.append(Long.toHexString(run.step())).append(',');
            }
            expected = losses + "\n" + run.stateBits();
        }
        ChildJvm.start(Resume.class, dir.resolve("child.log"), List.of(), dir.resolve("lstm.ckpt").toString(),
                dir.resolve("resumed.txt").toString()).awaitSuccess(120);
        assertEquals(expected, Files.readString(dir.resolve("resumed.txt")), "losses and parameters after resuming");
    }

    /** Tens of thousands of gate-kernel calls, so that this JVM runs them C2-compiled; the child does not. */
    private static void warmUpGateKernels() throws InterruptedException {
        var be = org.inertia.kernels.cpu.CpuBackend.get();
        try (NdArray g = NdArray.full(Dtype.F32, 0.7, BATCH, 4 * HIDDEN); NdArray c = NdArray.full(Dtype.F32, -0.3, BATCH, HIDDEN);
             NdArray act = NdArray.zeros(Dtype.F32, BATCH, 4 * HIDDEN); NdArray c2 = NdArray.zeros(Dtype.F32, BATCH, HIDDEN);
             NdArray t = NdArray.zeros(Dtype.F32, BATCH, HIDDEN); NdArray h = NdArray.zeros(Dtype.F32, BATCH, HIDDEN)) {
            for (int i = 0; i < 30_000; i++) {
                be.lstmGates().forward(g, c, act, c2, t, h);
            }
        }
        Thread.sleep(300);
    }
}
