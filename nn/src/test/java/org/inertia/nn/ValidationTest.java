package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.kernels.Storage;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.data.IdxReader;
import org.inertia.nn.data.ImageDataset;
import org.inertia.nn.io.Checkpoint;
import org.inertia.nn.io.SafeTensors;
import org.inertia.nn.layers.AvgPool2d;
import org.inertia.nn.layers.BatchNorm2d;
import org.inertia.nn.layers.Conv2d;
import org.inertia.nn.layers.Dropout;
import org.inertia.nn.layers.Init;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.MaxPool2d;
import org.inertia.nn.layers.ReLU;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.models.MomentumNet;
import org.inertia.nn.models.PreResNet;
import org.inertia.nn.ops.Arithmetic;
import org.inertia.nn.ops.Axpby;
import org.inertia.nn.ops.BatchNormOp;
import org.inertia.nn.ops.Conv2dOp;
import org.inertia.nn.ops.DropoutOp;
import org.inertia.nn.ops.LinearOp;
import org.inertia.nn.ops.Losses;
import org.inertia.nn.ops.MatMul;
import org.inertia.nn.ops.Metrics;
import org.inertia.nn.ops.Pointwise;
import org.inertia.nn.ops.Pool2dOp;
import org.inertia.nn.ops.Reduce;
import org.inertia.nn.ops.Shapes;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The public entry points of nn (ops, layers, models, data, io) refuse bad arguments with an exception
 * whose message names the argument, and leave no off-heap memory behind when they do (an op must not
 * allocate its output before checking its inputs). nn.rnn is not covered here.
 */
class ValidationTest {
    private final List<AutoCloseable> inputs = new ArrayList<>();

    private Tensor t(int... dims) {
        return own(Tensor.parameter(NdArray.zeros(Dtype.F32, dims)));
    }

    private Tensor t64(int... dims) {
        return own(Tensor.parameter(NdArray.zeros(Dtype.F64, dims)));
    }

    private Tensor closed(int... dims) {
        Tensor x = t(dims);
        x.close();
        return x;
    }

    private NdArray a(Dtype dtype, int... dims) {
        return own(NdArray.zeros(dtype, dims));
    }

    private <T extends AutoCloseable> T own(T x) {
        inputs.add(x);
        return x;
    }

    private record Case(String name, Class<? extends Throwable> type, String fragment, Supplier<Object> call) {
    }

    private static Case c(String name, Class<? extends Throwable> type, String fragment, Supplier<Object> call) {
        return new Case(name, type, fragment, call);
    }

    private final SplitMix64 rng = new SplitMix64(1);
    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<NullPointerException> NPE = NullPointerException.class;
    private static final Class<IllegalStateException> ISE = IllegalStateException.class;

    private List<Case> cases() {
        return List.of(
                c("add: a null", NPE, "add: a is null", () -> Arithmetic.add(null, t(2))),
                c("add: dtypes", IAE, "add: b is F64 but a is F32", () -> Arithmetic.add(t(2, 3), t64(2, 3))),
                c("add: closed", ISE, "add: b (tensor [2, 3]) is closed", () -> Arithmetic.add(t(2, 3), closed(2, 3))),
                c("add: broadcast", IAE, "[2, 3] and [4] do not broadcast", () -> Arithmetic.add(t(2, 3), t(4))),
                c("mul: I32", IAE, "mul: a must be F32 or F64, got I32",
                        () -> Arithmetic.mul(own(Tensor.constant(NdArray.zeros(Dtype.I32, 2))), t(2))),
                c("axpby: dtypes", IAE, "axpby: b is F64 but a is F32", () -> Axpby.apply(1, t(2), 1, t64(2))),
                c("batch norm: momentum", IAE, "batch_norm: momentum must be in [0, 1], got -0.5",
                        () -> BatchNormOp.train(t(2, 3, 2, 2), t(3), t(3), null, null, -0.5, 1e-5)),
                c("batch norm: eps", IAE, "batch_norm: eps must be finite and > 0, got 0.0",
                        () -> BatchNormOp.eval(t(2, 3, 2, 2), t(3), t(3), a(Dtype.F32, 3), a(Dtype.F32, 3), 0)),
                c("batch norm: running shape", IAE, "batch_norm: runningVar must be F32 [3], got F32 [2]",
                        () -> BatchNormOp.train(t(2, 3, 2, 2), t(3), t(3), a(Dtype.F32, 3), a(Dtype.F32, 2), 0.1, 1e-5)),
                c("batch norm: running null in eval", NPE, "batch_norm: runningMean is null",
                        () -> BatchNormOp.eval(t(2, 3, 2, 2), t(3), t(3), null, a(Dtype.F32, 3), 1e-5)),
                c("batch norm: gamma dtype", IAE, "batch_norm: gamma is F64 but x is F32",
                        () -> BatchNormOp.train(t(2, 3, 2, 2), t64(3), t(3), null, null, 0.1, 1e-5)),
                c("conv2d: bias dtype", IAE, "conv2d: bias is F64 but x is F32",
                        () -> Conv2dOp.apply(t(1, 3, 5, 5), t(2, 3, 3, 3), t64(2), 1, 0, 1)),
                c("conv2d: weight null", NPE, "conv2d: weight is null", () -> Conv2dOp.apply(t(1, 3, 5, 5), null, null, 1, 0, 1)),
                c("conv2d: channels", IAE, "got x [1, 2, 5, 5] and weight [2, 3, 3, 3]",
                        () -> Conv2dOp.apply(t(1, 2, 5, 5), t(2, 3, 3, 3), null, 1, 0, 1)),
                c("dropout: rng", NPE, "dropout: rng is null", () -> DropoutOp.apply(t(2), 0.5, null)),
                c("dropout: p", IAE, "dropout: probability p must be in [0, 1), got 1.0", () -> DropoutOp.apply(t(2), 1, rng)),
                c("linear: weight dtype", IAE, "linear: weight is F64 but x is F32", () -> LinearOp.apply(t(2, 3), t64(4, 3), null)),
                c("linear: shapes", IAE, "got x [2, 3] and weight [4, 5]", () -> LinearOp.apply(t(2, 3), t(4, 5), null)),
                c("cross entropy: labels", NPE, "cross_entropy: labels is null", () -> Losses.crossEntropy(t(2, 3), (int[]) null)),
                c("cross entropy: label range", IAE, "label 3 at 1 is outside [0, 3)", () -> Losses.crossEntropy(t(2, 3), new int[] {0, 3})),
                c("mse: dtypes", IAE, "mse: target is F64 but prediction is F32", () -> Losses.mse(t(2), t64(2))),
                c("matmul: dtypes", IAE, "matmul: b is F64 but a is F32", () -> MatMul.apply(t(2, 3), t64(3, 2))),
                c("matmul: shapes", IAE, "got [2, 3] and [4, 5]", () -> MatMul.apply(t(2, 3), t(4, 5))),
                c("accuracy: labels", NPE, "accuracy: labels is null", () -> Metrics.accuracy(t(2, 3), null)),
                c("tanh: closed", ISE, "tanh: x (tensor [2]) is closed", () -> Pointwise.tanh(closed(2))),
                c("exp: null", NPE, "exp: x is null", () -> Pointwise.exp(null)),
                c("max pool: geometry", NPE, "max_pool2d: geometry is null", () -> Pool2dOp.maxPool(t(1, 1, 2, 2), null)),
                c("avg pool: rank", IAE, "needs x [N, C, H, W], got [2, 2]",
                        () -> Pool2dOp.avgPool(t(2, 2), Conv2dGeometry.square(2, 2, 0, 1), true)),
                c("sum: axis", IAE, "axis 7 is out of range for shape [2, 3]", () -> Reduce.sum(t(2, 3), 7)),
                c("mean: closed", ISE, "mean: x (tensor [3]) is closed", () -> Reduce.meanAll(closed(3))),
                c("reshape: count", IAE, "cannot reshape [2, 3] (6 elements) to [4, 2]", () -> Shapes.reshape(t(2, 3), 4, 2)),
                c("slice: range", IAE, "slice [2:9:1] is invalid for axis 1", () -> Shapes.slice(t(2, 3), 1, 2, 9)),
                c("concat: dtypes", IAE, "concat: parts[1] is F64 but parts[0] is F32", () -> Shapes.concat(0, t(2, 3), t64(2, 3))),
                c("concat: null part", NPE, "concat: parts[1] is null", () -> Shapes.concat(0, t(2, 3), null)),
                c("Linear: in", IAE, "Linear: in must be >= 1, got 0", () -> own(new Linear(0, 3, true, Dtype.F32, rng))),
                c("Linear: dtype", IAE, "Linear: parameters must be F32 or F64, got dtype I32",
                        () -> own(new Linear(3, 2, true, Dtype.I32, rng))),
                c("Linear: rng", NPE, "Linear: rng is null", () -> own(new Linear(3, 2, true, Dtype.F32, null))),
                c("Conv2d: out", IAE, "Conv2d: out must be >= 1, got 0", () -> own(new Conv2d(3, 0, 3, 1, true, Dtype.F32, rng))),
                c("Conv2d: stride", IAE, "strideH must be >= 1, got 0",
                        () -> own(new Conv2d(3, 3, 3, 0, 0, 1, true, Dtype.F32, rng))),
                c("BatchNorm2d: channels", IAE, "BatchNorm2d: channels must be >= 1, got 0", () -> own(new BatchNorm2d(0, Dtype.F32))),
                c("BatchNorm2d: momentum", IAE, "BatchNorm2d: momentum must be in [0, 1], got NaN",
                        () -> own(new BatchNorm2d(3, Double.NaN, 1e-5, Dtype.F32))),
                c("BatchNorm2d: eps", IAE, "BatchNorm2d: eps must be finite and > 0, got -1.0",
                        () -> own(new BatchNorm2d(3, 0.1, -1, Dtype.F32))),
                c("Dropout: p", IAE, "dropout probability p must be in [0, 1), got -0.1", () -> own(new Dropout(-0.1, 1))),
                c("Dropout: rng", NPE, "rng", () -> own(new Dropout(0.1, null))),
                c("MaxPool2d: padding", IAE, "MaxPool2d: padding 3 must be at most half the kernel 2", () -> own(new MaxPool2d(2, 2, 3))),
                c("AvgPool2d: kernel", IAE, "kernelH must be >= 1, got 0", () -> own(new AvgPool2d(0))),
                c("Sequential: null layer", NPE, "Sequential: layers[1] is null", () -> own(new Sequential(new ReLU(), null))),
                c("Init: std", IAE, "normal: std must be finite and >= 0, got -1.0", () -> {
                    Init.normal(a(Dtype.F32, 2, 2), -1, rng);
                    return null;
                }),
                c("Init: closed", ISE, "uniform: w (F32 [2]) is closed", () -> {
                    NdArray w = NdArray.zeros(Dtype.F32, 2);
                    w.close();
                    Init.uniform(w, 1, rng);
                    return null;
                }),
                c("Init: I32", IAE, "orthogonal: w must be F32 or F64, got I32", () -> {
                    Init.orthogonal(a(Dtype.I32, 2, 2), 1, rng);
                    return null;
                }),
                c("Init: gain", IAE, "xavierUniform: gain must be finite and >= 0, got NaN", () -> {
                    Init.xavierUniform(a(Dtype.F32, 2, 2), Double.NaN, rng);
                    return null;
                }),
                c("MomentumNet: empty", IAE, "MomentumNet: functions must not be empty",
                        () -> own(new MomentumNet(List.of(), 0.9, MomentumNet.Mode.values()[0]))),
                c("PreResNet: classes", IAE, "numClasses and stem must be >= 1, got 3, 0, 16",
                        () -> PreResNet.Config.standard(20, 3, 0)),
                c("DataLoader: images", NPE, "images", () -> DataLoader.builder(null, new int[0])),
                c("DataLoader: layout", NPE, "layout", () -> DataLoader.builder(a(Dtype.F32, 2, 2, 2), new int[2]).layout(null)),
                c("DataLoader: batch size", IAE, "batch size must be > 0, got 0",
                        () -> own(DataLoader.builder(a(Dtype.F32, 2, 2, 2), new int[2]).batchSize(0).build())),
                c("DataLoader: state", IAE, "state has batch size 5, the loader 2", () -> {
                    DataLoader l = own(DataLoader.builder(a(Dtype.F32, 4, 2, 2), new int[4]).batchSize(2).build());
                    l.loadState(new DataLoader.State(0, 0, 4, 5, false, 0, false));
                    return null;
                }),
                c("ImageDataset: labels", NPE, "labels", () -> new ImageDataset(a(Dtype.F32, 2, 2, 2), null)),
                c("IdxReader: file", NPE, "file", () -> {
                    try {
                        return IdxReader.read(null);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }),
                c("SafeTensors: tensors", NPE, "tensors", () -> {
                    try {
                        SafeTensors.save(null, Path.of("unused.safetensors"));
                        return null;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }),
                c("Checkpoint: part name", IAE, "part name must be letters, digits, '_' or '-', got 'a b'",
                        () -> new Checkpoint().metadata("k", "v").module("a b", new ReLU())),
                c("Checkpoint: module", NPE, "module m", () -> new Checkpoint().module("m", null)));
    }

    @TestFactory
    Stream<DynamicTest> badArgumentsAreNamedAndLeakNothing() {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            long live = Storage.liveBytes();
            Throwable e;
            try {
                e = assertThrows(k.type(), () -> {
                    Object r = k.call().get();
                    if (r instanceof AutoCloseable ac) {
                        ac.close();
                    }
                });
            } finally {
                for (AutoCloseable x : inputs) {
                    x.close();
                }
                inputs.clear();
            }
            assertTrue(e.getMessage() != null && e.getMessage().contains(k.fragment()),
                    "'" + e.getMessage() + "' lacks '" + k.fragment() + "'");
            assertEquals(live, Storage.liveBytes(), "off-heap memory left behind by the refused call");
        }));
    }
}
