package org.inertia.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.rnn.AdamLstmCell;
import org.inertia.nn.rnn.RecurrentInit;
import org.inertia.nn.rnn.LstmCell;
import org.inertia.nn.rnn.MomentumLstmCell;
import org.inertia.nn.rnn.RecurrentCell;
import org.inertia.nn.rnn.RmsPropLstmCell;
import org.inertia.nn.rnn.Rnn;
import org.inertia.nn.rnn.SrLstmCell;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of pixel-MNIST shape without the optimizer: a batch of 64 sequences of 784 steps
 * with input size 1 through one recurrent layer, logits = h_T·W + b (10 classes), cross-entropy,
 * backward (BPTT over all 784 steps) — as in the MomentumRNN paper's timing table. Divide the time per
 * op by 64 for µs/sample. Cell settings are the paper's MNIST ones (MomentumLSTM μ = s = 0.6; AdamLSTM
 * μ = s = 0.6, β = 0.1; RMSPropLSTM s = 0.6, β = 0.1; SRLSTM s = 1, restart 2), init as its code.
 *
 * <p>A step takes about a second, so one shot per iteration: {@code bench/compare/lstm.sh} runs
 * {@code -f 1 -wi 2 -i 3} in single-shot mode.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class LstmBenchmark {
    static final int BATCH = 64;
    static final int STEPS = 784;
    static final int CLASSES = 10;

    @Param({"lstm", "momentum-lstm", "adam-lstm", "rmsprop-lstm", "sr-lstm"})
    String cell;

    @Param({"128", "256"})
    int hidden;

    private Rnn rnn;
    private Tensor wOut;
    private Tensor bOut;
    private Tensor x;
    private Tensor target;
    private Tensor scale;

    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(42);
        Dtype f = Dtype.F32;
        rnn = new Rnn(1, hidden, 1, (in, h, l) -> make(cell, in, h, r));
        NdArray w = NdArray.zeros(f, hidden, CLASSES);
        w.forEachOffset(o -> w.setAtOffset(o, (r.nextDouble() * 2 - 1) / Math.sqrt(hidden)));
        wOut = Tensor.parameter(w);
        bOut = Tensor.parameter(NdArray.zeros(f, CLASSES));
        NdArray xs = NdArray.zeros(f, BATCH, STEPS, 1);
        xs.forEachOffset(o -> xs.setAtOffset(o, r.nextDouble()));
        x = Tensor.constant(xs);
        NdArray y = NdArray.zeros(f, BATCH, CLASSES);
        for (int b = 0; b < BATCH; b++) {
            y.set(1, b, r.nextInt(CLASSES));
        }
        target = Tensor.constant(y);
        scale = Tensor.constant(NdArray.scalar(f, -1.0 / BATCH));
    }

    static RecurrentCell make(String cell, int in, int h, Random r) {
        RecurrentInit init = RecurrentInit.MOMENTUM_RNN;
        Dtype f = Dtype.F32;
        return switch (cell) {
            case "lstm" -> new LstmCell(in, h, init, f, r);
            case "momentum-lstm" -> new MomentumLstmCell(in, h, 0.6, 0.6, init, f, r);
            case "adam-lstm" -> new AdamLstmCell(in, h, 0.6, 0.6, 0.1, init, f, r);
            case "rmsprop-lstm" -> new RmsPropLstmCell(in, h, 0.6, 0.1, init, f, r);
            case "sr-lstm" -> new SrLstmCell(in, h, 1.0, 2, init, f, r);
            default -> throw new IllegalArgumentException("unknown cell " + cell);
        };
    }

    @Benchmark
    public double trainingStep() {
        double loss;
        try (TensorScope scope = TensorScope.open()) {
            Tensor h = rnn.forward(x).lastHidden();
            Tensor logits = h.matmul(wOut).add(bOut);
            Tensor l = logits.logSoftmax(1).mul(target).sum().mul(scale);
            loss = l.item();
            l.backward();
        }
        rnn.zeroGrad();
        wOut.zeroGrad();
        bOut.zeroGrad();
        return loss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rnn.close();
        wOut.close();
        bOut.close();
        x.close();
        target.close();
        scale.close();
    }
}
