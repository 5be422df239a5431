package org.inertia.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDArrayIndexer;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.recurrent.RNN;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.UnaryOp;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.Conv2dOp;
import org.inertia.nn.ops.LinearOp;
import org.inertia.nn.ops.Pointwise;
import org.inertia.nn.ops.Pool2dOp;
import org.inertia.optim.kernel.NagState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.SgdState;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.VelocityState;
import org.inertia.optim.kernel.AdamState;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * DJL's internal operator set ({@link NDArrayEx}) for the Inertia engine: activations, linear and convolution
 * layers, pooling, normalization, dropout, recurrent layers composed of the engine's array operations, and DJL's
 * fused optimizer updates on Inertia's step kernels ({@code org.inertia.optim.kernel.OptimizerSteps}).
 */
final class InertiaNDArrayEx implements NDArrayEx {
    private final InertiaNDArray array;

    InertiaNDArrayEx(InertiaNDArray array) {
        this.array = array;
    }

    private static InertiaNDArray c(String op, String arg, NDArray a) {
        return InertiaNDArray.cast(op, arg, a);
    }

    // ------------------------------------------------------------------ reversed arithmetic

    @Override
    public NDArray rdivi(NDArray b) {
        InertiaNDArray x = c("rdivi", "b", b);
        try (NDArray r = x.div(array)) {
            array.setFrom((InertiaNDArray) r);
        }
        return array;
    }

    @Override
    public NDArray rmodi(NDArray b) {
        InertiaNDArray x = c("rmodi", "b", b);
        try (NDArray r = x.mod(array)) {
            array.setFrom((InertiaNDArray) r);
        }
        return array;
    }

    @Override
    public NDArray rpowi(Number n) {
        try (NDArray base = array.scalarOf(n, Dt.withScalar(array.getDataType(), n)); NDArray r = base.pow(array)) {
            array.setFrom((InertiaNDArray) r);
        }
        return array;
    }

    // ------------------------------------------------------------------ activations

    private NDArray act(String name, UnaryOp op, java.util.function.DoubleUnaryOperator f,
            java.util.function.BiFunction<InertiaNDArray, InertiaNDArray, NDArray> grad) {
        Dt.floating(name, array.getDataType());
        InertiaNDArray out = array.unary(name, op, f, false);
        if (Grad.active(array)) {
            Grad.record(out, name, new InertiaNDArray[] {array}, g -> new NDArray[] {grad.apply(g, out)});
        }
        return out;
    }

    @Override
    public NDArray relu() {
        Dt.floating("relu", array.getDataType());
        if (array.size() == 0) {
            return array.duplicate();
        }
        // Inertia's ReLU op: the kernel forward and its fused backward kernel
        return viaTensor(array.mgr(), () -> Pointwise.relu(t(array)));
    }

    @Override
    public NDArray sigmoid() {
        Dt.floating("sigmoid", array.getDataType());
        if (array.size() == 0) {
            return array.duplicate();
        }
        return viaTensor(array.mgr(), () -> Pointwise.sigmoid(t(array)));
    }

    @Override
    public NDArray tanh() {
        return array.tanh();
    }

    @Override
    public NDArray softPlus() {
        return act("softPlus", null, x -> x > 20 ? x : Math.log1p(Math.exp(x)),
                (g, y) -> g.mul(array.getNDArrayInternal().sigmoid()));
    }

    @Override
    public NDArray softSign() {
        return act("softSign", null, x -> x / (1 + Math.abs(x)),
                (g, y) -> g.div(array.abs().add(1).square()));
    }

    @Override
    public NDArray leakyRelu(float alpha) {
        return act("leakyRelu", null, x -> x > 0 ? x : alpha * x,
                (g, y) -> g.mul(array.gt(0).toType(array.getDataType(), false).mul(1 - alpha).add(alpha)));
    }

    @Override
    public NDArray elu(float alpha) {
        return act("elu", null, x -> x > 0 ? x : alpha * (Math.exp(x) - 1),
                (g, y) -> {
                    NDArray pos = array.gt(0).toType(array.getDataType(), false);
                    return g.mul(pos.add(pos.neg().add(1).mul(y.add(alpha))));
                });
    }

    @Override
    public NDArray selu() {
        double alpha = 1.6732632423543772848170429916717;
        double scale = 1.0507009873554804934193349852946;
        return act("selu", null, x -> scale * (x > 0 ? x : alpha * (Math.exp(x) - 1)),
                (g, y) -> {
                    NDArray pos = array.gt(0).toType(array.getDataType(), false);
                    return g.mul(pos.mul(scale).add(pos.neg().add(1).mul(y.add(scale * alpha))));
                });
    }

    @Override
    public NDArray gelu() {
        // the exact GELU, x·Φ(x), as torch.nn.functional.gelu: Φ through erfc of a high-accuracy series
        return act("gelu", null, x -> x * 0.5 * erfc(-x / Math.sqrt(2)),
                (g, y) -> g.mul(array.unary("gelu'", null,
                        x -> 0.5 * erfc(-x / Math.sqrt(2)) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI),
                        false)));
    }

    static double erfc(double x) {
        return Special.erfc(x);
    }

    // ------------------------------------------------------------------ pooling

    /** An Inertia tensor for an engine array: its recorded tensor, or a constant view. */
    private static Tensor t(InertiaNDArray a) {
        if (Grad.active(a)) {
            return a.tensor;
        }
        // an op only reads its inputs: a copy-on-write duplicate's shared block is read in place
        return Tensor.constant(a.sharesBlock() ? a.kernelForRead() : a.kernel());
    }

    /** Runs a tensor op with Inertia's grad mode matching DJL's recording state. */
    private static InertiaNDArray viaTensor(InertiaNDManager m, java.util.function.Supplier<Tensor> op) {
        Tensor out;
        if (Grad.recording()) {
            out = op.get();
        } else {
            try (GradMode.Restore r = GradMode.off()) {
                out = op.get();
            }
        }
        InertiaNDArray a = InertiaNDArray.ofTensor(m, out);
        a.tensor = out.requiresGrad() ? out : null;
        return a;
    }

    private int[] pool2d(String op, Shape kernel, Shape stride, Shape padding, boolean ceilMode) {
        Dt.floating(op, array.getDataType());
        int nd = kernel.dimension();
        if (nd != 1 && nd != 2) {
            throw InertiaEngine.unsupported(op + " over " + nd + " spatial dimensions (1 and 2 are supported)");
        }
        if (array.getShape().dimension() != nd + 2) {
            throw new IllegalArgumentException(op + ": input must be (N, C, " + (nd == 1 ? "W" : "H, W")
                    + "), got " + array.getShape());
        }
        if (stride.dimension() != nd || padding.dimension() != nd) {
            throw new IllegalArgumentException(op + ": kernel " + kernel + ", stride " + stride + " and padding "
                    + padding + " must have the same rank");
        }
        int[] g = nd == 1
                ? new int[] {1, (int) kernel.get(0), 1, (int) stride.get(0), 0, (int) padding.get(0)}
                : new int[] {(int) kernel.get(0), (int) kernel.get(1), (int) stride.get(0), (int) stride.get(1),
                    (int) padding.get(0), (int) padding.get(1)};
        if (ceilMode) {
            long[] in = array.getShape().slice(2).getShape();
            for (int i = 0; i < nd; i++) {
                long k = kernel.get(i);
                long s = stride.get(i);
                long p = padding.get(i);
                long floor = (in[i] + 2 * p - k) / s;
                long ceil = (in[i] + 2 * p - k + s - 1) / s;
                if (ceil != floor) {
                    throw InertiaEngine.unsupported(op + " with ceilMode where it changes the output size");
                }
            }
        }
        return g;
    }

    private InertiaNDArray as4d(int nd) {
        if (nd == 2) {
            return array;
        }
        Shape s = array.getShape();
        return (InertiaNDArray) array.reshape(new Shape(s.get(0), s.get(1), 1, s.get(2)));
    }

    private NDArray from4d(InertiaNDArray out, int nd) {
        if (nd == 2) {
            return out;
        }
        Shape s = out.getShape();
        return out.reshape(new Shape(s.get(0), s.get(1), s.get(3)));
    }

    @Override
    public NDArray maxPool(Shape kernelShape, Shape stride, Shape padding, boolean ceilMode) {
        int[] g = pool2d("maxPool", kernelShape, stride, padding, ceilMode);
        int nd = kernelShape.dimension();
        InertiaNDArray x = as4d(nd);
        Conv2dGeometry geo = new Conv2dGeometry(g[0], g[1], g[2], g[3], g[4], g[5], 1, 1);
        InertiaNDArray out = viaTensor(array.mgr(), () -> Pool2dOp.maxPool(t(x), geo));
        return from4d(out, nd);
    }

    @Override
    public NDArray globalMaxPool() {
        Shape s = array.getShape();
        if (s.dimension() < 3) {
            throw new IllegalArgumentException("globalMaxPool needs (N, C, ...), got " + s);
        }
        int[] axes = new int[s.dimension() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        try (NDArray m = array.max(axes, true)) {
            return m.reshape(s.get(0), s.get(1));
        }
    }

    @Override
    public NDArray avgPool(Shape kernelShape, Shape stride, Shape padding, boolean ceilMode,
            boolean countIncludePad) {
        int[] g = pool2d("avgPool", kernelShape, stride, padding, ceilMode);
        int nd = kernelShape.dimension();
        InertiaNDArray x = as4d(nd);
        Conv2dGeometry geo = new Conv2dGeometry(g[0], g[1], g[2], g[3], g[4], g[5], 1, 1);
        InertiaNDArray out = viaTensor(array.mgr(), () -> Pool2dOp.avgPool(t(x), geo, countIncludePad));
        return from4d(out, nd);
    }

    @Override
    public NDArray globalAvgPool() {
        Shape s = array.getShape();
        if (s.dimension() < 3) {
            throw new IllegalArgumentException("globalAvgPool needs (N, C, ...), got " + s);
        }
        int[] axes = new int[s.dimension() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        try (NDArray m = array.mean(axes, true)) {
            return m.reshape(s.get(0), s.get(1));
        }
    }

    @Override
    public NDArray lpPool(float normType, Shape kernelShape, Shape stride, Shape padding, boolean ceilMode) {
        if (padding.size() != 0 && padding.getShape().length > 0 && java.util.Arrays.stream(padding.getShape())
                .anyMatch(p -> p != 0)) {
            throw InertiaEngine.unsupported("lpPool with padding");
        }
        // (Σ x^p)^(1/p) over each window = (avgPool(x^p) · k)^(1/p)
        long k = kernelShape.size();
        try (NDArray xp = array.pow(normType);
             NDArray avg = xp.getNDArrayInternal().avgPool(kernelShape, stride, padding, ceilMode, true);
             NDArray sum = avg.mul(k)) {
            return sum.pow(1.0 / normType);
        }
    }

    @Override
    public NDArray globalLpPool(float normType) {
        Shape s = array.getShape();
        int[] axes = new int[s.dimension() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        try (NDArray xp = array.abs().pow(normType); NDArray sum = xp.sum(axes, true);
             NDArray r = sum.pow(1.0 / normType)) {
            return r.reshape(s.get(0), s.get(1));
        }
    }

    // ------------------------------------------------------------------ optimizer updates

    private static NdArray k(String op, String name, NDArray a) {
        InertiaNDArray x = c(op, name, a);
        Dt.floating(op + " " + name, x.getDataType());
        return x.kernel();
    }

    /** A read-only kernel view of an update's gradient (a shared gradient duplicate is read in place). */
    private static NdArray gradKernel(String op, NDArray grad) {
        if (!(grad instanceof InertiaNDArray g)) {
            return k(op, "grad", grad); // throws the engine's message
        }
        Dt.floating(op + " grad", g.getDataType());
        return g.kernelForRead();
    }

    /** The gradient DJL's update sees: clip(rescale · grad) (a copy only when it changes). */
    private static NdArray preparedGrad(String op, NDArray grad, float rescaleGrad, float clipGrad, List<NdArray> temps) {
        NdArray g = gradKernel(op, grad);
        if (rescaleGrad == 1f && clipGrad < 0) {
            return g;
        }
        NdArray c = NdArray.zeros(g.dtype(), g.shape());
        temps.add(c);
        InertiaNDArray.be().elementwise().binaryScalar(org.inertia.kernels.BinaryOp.MUL, g, rescaleGrad, c);
        if (clipGrad >= 0) {
            InertiaNDArray.be().elementwise().clamp(c, Double.NEGATIVE_INFINITY, clipGrad, c);
        }
        return c;
    }

    /** Zeroes the weights' gradients after an update, lazily ({@link InertiaNDArray#zeroGradLazily}). */
    private static void zeroGrad(NDList weights) {
        for (NDArray w : weights) {
            ((InertiaNDArray) w).zeroGradLazily();
        }
    }

    @Override
    public void adamUpdate(NDList inputs, NDList weights, float learningRate, float learningRateBiasCorrection,
            float weightDecay, float rescaleGrad, float clipGrad, float beta1, float beta2, float epsilon,
            boolean lazyUpdate, boolean adamw) {
        List<NdArray> temps = new java.util.ArrayList<>();
        try {
            NdArray w = k("adamUpdate", "weight", inputs.get(0));
            NdArray g = preparedGrad("adamUpdate", inputs.get(1), rescaleGrad, clipGrad, temps);
            NdArray m = k("adamUpdate", "mean", inputs.get(2));
            NdArray v = k("adamUpdate", "variance", inputs.get(3));
            // DJL: w -= lrbc · m / (√v + eps), i.e. stepSize = lrbc and no further bias correction of v
            StepHyper.Adam h = new StepHyper.Adam(learningRate, beta1, beta2, epsilon, weightDecay, adamw, false,
                    false, learningRateBiasCorrection, 1.0);
            OptimizerSteps.adam(h, w, g, new AdamState(m, v, null));
        } finally {
            temps.forEach(NdArray::close);
        }
        zeroGrad(weights);
    }

    @Override
    public void sgdUpdate(NDList inputs, NDList weights, float learningRate, float weightDecay, float rescaleGrad,
            float clipGrad, float momentum, boolean lazyUpdate) {
        List<NdArray> temps = new java.util.ArrayList<>();
        try {
            NdArray w = k("sgdUpdate", "weight", inputs.get(0));
            NdArray g = preparedGrad("sgdUpdate", inputs.get(1), rescaleGrad, clipGrad, temps);
            if (momentum == 0f) {
                OptimizerSteps.sgd(new StepHyper.Sgd(learningRate, 0, 0, weightDecay, false, false, true), w, g,
                        null);
            } else {
                // DJL: s ← μs + lr·(g + wd·w); w ← w − s. Heavy ball keeps v = −s: v ← μv − lr·(g + wd·w); w ← w + v
                NdArray s = k("sgdUpdate", "state", inputs.get(2));
                NdArray flat = s.reshape(Math.toIntExact(s.numel()));
                InertiaNDArray.be().blas1().scal(-1, flat);
                try {
                    OptimizerSteps.heavyBall(new StepHyper.HeavyBall(learningRate, momentum, weightDecay), w, g,
                            new VelocityState(s));
                } finally {
                    InertiaNDArray.be().blas1().scal(-1, flat);
                }
            }
        } finally {
            temps.forEach(NdArray::close);
        }
        zeroGrad(weights);
    }

    @Override
    public void nagUpdate(NDList inputs, NDList weights, float learningRate, float weightDecay, float rescaleGrad,
            float clipGrad, float momentum) {
        List<NdArray> temps = new java.util.ArrayList<>();
        try {
            NdArray w = k("nagUpdate", "weight", inputs.get(0));
            NdArray g = preparedGrad("nagUpdate", inputs.get(1), rescaleGrad, clipGrad, temps);
            NdArray s = k("nagUpdate", "state", inputs.get(2));
            // MXNet's NAG: s ← μs + (g + wd·w); w ← w − lr·((g + wd·w) + μs): PyTorch SGD with nesterov, no dampening
            OptimizerSteps.sgd(new StepHyper.Sgd(learningRate, momentum, 0, weightDecay, true, false, false), w, g,
                    new SgdState(s));
        } finally {
            temps.forEach(NdArray::close);
        }
        zeroGrad(weights);
    }

    @Override
    public void adagradUpdate(NDList inputs, NDList weights, float learningRate, float weightDecay,
            float rescaleGrad, float clipGrad, float epsilon) {
        // MXNet's AdaGrad: g' = clip(rescale·g); h ← h + g'²; w ← w − lr·(g'/√(h + eps) + wd·w). Inertia's AdaGrad
        // kernel puts eps outside the root and weight decay into the history, so this runs as a loop.
        InertiaNDArray w = c("adagradUpdate", "weight", inputs.get(0));
        InertiaNDArray g = c("adagradUpdate", "grad", inputs.get(1));
        InertiaNDArray h = c("adagradUpdate", "history", inputs.get(2));
        loop(w, g, new InertiaNDArray[] {h}, (wi, gi, st) -> {
            double gr = clip(rescaleGrad * gi, clipGrad);
            st[0] += gr * gr;
            return wi - learningRate * (gr / Math.sqrt(st[0] + epsilon) + weightDecay * wi);
        });
        zeroGrad(weights);
    }

    @Override
    public void rmspropUpdate(NDList inputs, NDList weights, float learningRate, float weightDecay,
            float rescaleGrad, float clipGrad, float rho, float momentum, float epsilon, boolean centered) {
        InertiaNDArray w = c("rmspropUpdate", "weight", inputs.get(0));
        InertiaNDArray g = c("rmspropUpdate", "grad", inputs.get(1));
        if (!centered) {
            // MXNet rmsprop: g' = clip(rescale·g) + wd·w; n ← ρn + (1−ρ)g'²; w ← w − lr·g'/√(n + eps)
            InertiaNDArray n = c("rmspropUpdate", "mean", inputs.get(2));
            loop(w, g, new InertiaNDArray[] {n}, (wi, gi, st) -> {
                double gr = clip(rescaleGrad * gi, clipGrad) + weightDecay * wi;
                st[0] = rho * st[0] + (1 - rho) * gr * gr;
                return wi - learningRate * gr / Math.sqrt(st[0] + epsilon);
            });
        } else {
            // MXNet rmspropalex: n ← ρn + (1−ρ)g'²; ḡ ← ρḡ + (1−ρ)g'; Δ ← μΔ − lr·g'/√(n − ḡ² + eps); w ← w + Δ
            InertiaNDArray n = c("rmspropUpdate", "mean", inputs.get(2));
            InertiaNDArray gm = c("rmspropUpdate", "gradMean", inputs.get(3));
            InertiaNDArray d = c("rmspropUpdate", "delta", inputs.get(4));
            loop(w, g, new InertiaNDArray[] {n, gm, d}, (wi, gi, st) -> {
                double gr = clip(rescaleGrad * gi, clipGrad) + weightDecay * wi;
                st[0] = rho * st[0] + (1 - rho) * gr * gr;
                st[1] = rho * st[1] + (1 - rho) * gr;
                st[2] = momentum * st[2] - learningRate * gr / Math.sqrt(st[0] - st[1] * st[1] + epsilon);
                return wi + st[2];
            });
        }
        zeroGrad(weights);
    }

    @Override
    public void adadeltaUpdate(NDList inputs, NDList weights, float weightDecay, float rescaleGrad, float clipGrad,
            float rho, float epsilon) {
        // MXNet adadelta: g' = clip(rescale·g) + wd·w; a ← ρa + (1−ρ)g'²; d = √(Δ + eps)/√(a + eps)·g';
        // Δ ← ρΔ + (1−ρ)d²; w ← w − d
        InertiaNDArray w = c("adadeltaUpdate", "weight", inputs.get(0));
        InertiaNDArray g = c("adadeltaUpdate", "grad", inputs.get(1));
        InertiaNDArray a = c("adadeltaUpdate", "accG", inputs.get(2));
        InertiaNDArray dl = c("adadeltaUpdate", "accDelta", inputs.get(3));
        loop(w, g, new InertiaNDArray[] {a, dl}, (wi, gi, st) -> {
            double gr = clip(rescaleGrad * gi, clipGrad) + weightDecay * wi;
            st[0] = rho * st[0] + (1 - rho) * gr * gr;
            double d = Math.sqrt(st[1] + epsilon) / Math.sqrt(st[0] + epsilon) * gr;
            st[1] = rho * st[1] + (1 - rho) * d * d;
            return wi - d;
        });
        zeroGrad(weights);
    }

    private static double clip(double g, float clipGrad) {
        return clipGrad >= 0 ? Math.max(-clipGrad, Math.min(clipGrad, g)) : g;
    }

    private interface Update {
        double apply(double w, double g, double[] state);
    }

    private static void loop(InertiaNDArray w, InertiaNDArray g, InertiaNDArray[] states, Update u) {
        long n = w.size();
        for (InertiaNDArray s : states) {
            if (!s.getShape().equals(w.getShape())) {
                throw new IllegalArgumentException("optimizer state " + s.getShape() + " does not match weight "
                        + w.getShape());
            }
        }
        if (!g.getShape().equals(w.getShape())) {
            throw new IllegalArgumentException("gradient " + g.getShape() + " does not match weight " + w.getShape());
        }
        double[] st = new double[states.length];
        MemorySegment ws = w.seg();
        DataType t = w.getDataType();
        for (long i = 0; i < n; i++) {
            for (int j = 0; j < st.length; j++) {
                st[j] = states[j].getD(i);
            }
            double nw = u.apply(Dt.getD(ws, t, i), g.getD(i), st);
            Dt.putD(ws, t, i, nw);
            for (int j = 0; j < st.length; j++) {
                Dt.putD(states[j].seg(), states[j].getDataType(), i, st[j]);
            }
        }
    }

    // ------------------------------------------------------------------ layers

    @Override
    public NDList convolution(NDArray input, NDArray weight, NDArray bias, Shape stride, Shape padding,
            Shape dilation, int groups) {
        InertiaNDArray x = c("convolution", "input", input);
        InertiaNDArray w = c("convolution", "weight", weight);
        InertiaNDArray b = bias == null ? null : c("convolution", "bias", bias);
        int nd = w.getShape().dimension() - 2;
        if (groups != 1) {
            throw InertiaEngine.unsupported("convolution with groups = " + groups);
        }
        if (nd != 1 && nd != 2) {
            throw InertiaEngine.unsupported("convolution over " + nd + " spatial dimensions (1 and 2 are supported)");
        }
        if (x.getShape().dimension() != nd + 2) {
            throw new IllegalArgumentException("convolution: input must have rank " + (nd + 2) + " for a weight of "
                    + "shape " + w.getShape() + ", got " + x.getShape());
        }
        Conv2dGeometry geo = nd == 1
                ? new Conv2dGeometry(1, (int) w.getShape().get(2), 1, (int) stride.get(0), 0, (int) padding.get(0), 1,
                    (int) dilation.get(0))
                : new Conv2dGeometry((int) w.getShape().get(2), (int) w.getShape().get(3), (int) stride.get(0),
                    (int) stride.get(1), (int) padding.get(0), (int) padding.get(1), (int) dilation.get(0),
                    (int) dilation.get(1));
        InertiaNDArray x4 = nd == 1 ? (InertiaNDArray) x.expandDims(2) : x;
        InertiaNDArray w4 = nd == 1 ? (InertiaNDArray) w.expandDims(2) : w;
        InertiaNDArray out = viaTensor(x.mgr(), () -> Conv2dOp.apply(t(x4), t(w4), b == null ? null : t(b), geo));
        return new NDList(nd == 1 ? out.squeeze(new int[] {2}) : out);
    }

    @Override
    public NDList deconvolution(NDArray input, NDArray weight, NDArray bias, Shape stride, Shape padding,
            Shape outPadding, Shape dilation, int groups) {
        throw InertiaEngine.unsupported("deconvolution");
    }

    @Override
    public NDList linear(NDArray input, NDArray weight, NDArray bias) {
        InertiaNDArray x = c("linear", "input", input);
        InertiaNDArray w = c("linear", "weight", weight);
        InertiaNDArray b = bias == null ? null : c("linear", "bias", bias);
        Shape xs = x.getShape();
        if (w.getShape().dimension() != 2 || xs.dimension() < 1
                || xs.get(xs.dimension() - 1) != w.getShape().get(1)) {
            throw new IllegalArgumentException("linear: input " + xs + " does not match weight " + w.getShape()
                    + " (needs input (..., " + (w.getShape().dimension() == 2 ? w.getShape().get(1) : "in") + "))");
        }
        if (x.getDataType() != w.getDataType() || !Dt.isFloat(x.getDataType())) {
            throw new IllegalArgumentException("linear: input " + x.getDataType() + " and weight " + w.getDataType()
                    + " must be the same float type");
        }
        long in = xs.get(xs.dimension() - 1);
        boolean flat = xs.dimension() != 2;
        InertiaNDArray x2 = flat ? (InertiaNDArray) x.reshape(-1, in) : x;
        InertiaNDArray y = viaTensor(x.mgr(), () -> LinearOp.apply(t(x2), t(w), b == null ? null : t(b)));
        if (!flat) {
            return new NDList(y);
        }
        Shape os = xs.slice(0, xs.dimension() - 1).add(w.getShape().get(0));
        return new NDList(y.reshape(os));
    }

    @Override
    public NDList embedding(NDArray input, NDArray weight, SparseFormat sparse) {
        if (sparse != SparseFormat.DENSE) {
            throw InertiaEngine.unsupported("embedding with sparse format " + sparse);
        }
        InertiaNDArray idx = c("embedding", "input", input);
        InertiaNDArray w = c("embedding", "weight", weight);
        long dim = w.getShape().get(1);
        try (NDArray flat = idx.toType(DataType.INT64, true).reshape(-1, 1);
             NDArray full = flat.broadcast(new Shape(flat.getShape().get(0), dim))) {
            NDArray g = w.gather(full, 0);
            return new NDList(g.reshape(idx.getShape().add(dim)));
        }
    }

    @Override
    public NDList prelu(NDArray input, NDArray alpha) {
        InertiaNDArray x = c("prelu", "input", input);
        InertiaNDArray a = c("prelu", "alpha", alpha);
        NDArray pos = x.gt(0).toType(x.getDataType(), false);
        NDArray out = x.mul(pos).add(x.mul(a).mul(pos.neg().add(1)));
        return new NDList(out);
    }

    @Override
    public NDList dropout(NDArray input, float rate, boolean training) {
        InertiaNDArray x = c("dropout", "input", input);
        if (!training || rate == 0) {
            return new NDList(x.duplicate());
        }
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("dropout: rate must be in [0, 1], got " + rate);
        }
        if (rate == 1) {
            return new NDList(x.zerosLike());
        }
        try (NDArray u = x.getManager().randomUniform(0, 1, x.getShape(), x.getDataType());
             NDArray keep = u.gte(rate).toType(x.getDataType(), false);
             NDArray scaled = keep.div(1 - rate)) {
            return new NDList(x.mul(scaled));
        }
    }

    @Override
    public NDList layerNorm(NDArray input, Shape normalizedShape, NDArray gamma, NDArray beta, float eps) {
        InertiaNDArray x = c("layerNorm", "input", input);
        int r = x.getShape().dimension();
        int k = normalizedShape.dimension();
        if (k > r || !x.getShape().slice(r - k).equals(normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: normalized shape " + normalizedShape + " is not the tail "
                    + "of input " + x.getShape());
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = r - k + i;
        }
        NDArray mean = x.mean(axes, true);
        NDArray centered = x.sub(mean);
        NDArray var = centered.square().mean(axes, true);
        NDArray out = centered.div(var.add(eps).sqrt());
        if (gamma != null) {
            out = out.mul(gamma);
        }
        if (beta != null) {
            out = out.add(beta);
        }
        return new NDList(out);
    }

    @Override
    public NDList batchNorm(NDArray input, NDArray runningMean, NDArray runningVar, NDArray gamma, NDArray beta,
            int axis, float momentum, float eps, boolean training) {
        InertiaNDArray x = c("batchNorm", "input", input);
        int r = x.getShape().dimension();
        int a = Dt.axis("batchNorm", axis, r);
        int[] axes = new int[r - 1];
        for (int i = 0, j = 0; i < r; i++) {
            if (i != a) {
                axes[j++] = i;
            }
        }
        long[] bshape = new long[r];
        java.util.Arrays.fill(bshape, 1);
        bshape[a] = x.getShape().get(a);
        Shape bs = new Shape(bshape);
        NDArray out;
        if (training) {
            NDArray mean = x.mean(axes, true);
            NDArray centered = x.sub(mean);
            NDArray var = centered.square().mean(axes, true);
            out = centered.div(var.add(eps).sqrt());
            if (runningMean != null && runningVar != null) {
                long n = x.size() / x.getShape().get(a);
                try (AutoCloseable p = Grad.pause();
                     NDArray m1 = mean.reshape(runningMean.getShape());
                     NDArray v1 = var.mul(n / (double) Math.max(1, n - 1)).reshape(runningVar.getShape())) {
                    // PyTorch's convention: running ← (1 − momentum)·running + momentum·batch; DJL's momentum
                    // argument is the weight of the running value (MXNet), as PtNDArrayEx passes 1 − momentum
                    runningMean.muli(momentum).addi(m1.mul(1 - momentum));
                    runningVar.muli(momentum).addi(v1.mul(1 - momentum));
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        } else {
            NDArray mean = runningMean.reshape(bs);
            NDArray var = runningVar.reshape(bs);
            out = x.sub(mean).div(var.add(eps).sqrt());
        }
        if (gamma != null) {
            out = out.mul(gamma.reshape(bs));
        }
        if (beta != null) {
            out = out.add(beta.reshape(bs));
        }
        return new NDList(out);
    }

    // ------------------------------------------------------------------ recurrent layers

    @Override
    public NDList rnn(NDArray input, NDArray state, NDList params, boolean hasBiases, int numLayers,
            RNN.Activation activation, double dropRate, boolean training, boolean bidirectional, boolean batchFirst) {
        return Recurrent.run("rnn", input, new NDList(state), params, hasBiases, numLayers, dropRate, training,
                bidirectional, batchFirst, activation == RNN.Activation.RELU ? Recurrent.Cell.RNN_RELU
                        : Recurrent.Cell.RNN_TANH);
    }

    @Override
    public NDList gru(NDArray input, NDArray state, NDList params, boolean hasBiases, int numLayers,
            double dropRate, boolean training, boolean bidirectional, boolean batchFirst) {
        return Recurrent.run("gru", input, new NDList(state), params, hasBiases, numLayers, dropRate, training,
                bidirectional, batchFirst, Recurrent.Cell.GRU);
    }

    @Override
    public NDList lstm(NDArray input, NDList states, NDList params, boolean hasBiases, int numLayers,
            double dropRate, boolean training, boolean bidirectional, boolean batchFirst) {
        return Recurrent.run("lstm", input, states, params, hasBiases, numLayers, dropRate, training, bidirectional,
                batchFirst, Recurrent.Cell.LSTM);
    }

    // ------------------------------------------------------------------ image ops (unsupported)

    @Override
    public NDArray interpolation(long[] size, int mode, boolean alignCorners) {
        throw InertiaEngine.unsupported("interpolation");
    }

    @Override
    public NDArray resize(int width, int height, int interpolation) {
        throw InertiaEngine.unsupported("resize");
    }

    @Override
    public NDArray randomFlipLeftRight() {
        throw InertiaEngine.unsupported("randomFlipLeftRight");
    }

    @Override
    public NDArray randomFlipTopBottom() {
        throw InertiaEngine.unsupported("randomFlipTopBottom");
    }

    @Override
    public NDArray randomBrightness(float brightness) {
        throw InertiaEngine.unsupported("randomBrightness");
    }

    @Override
    public NDArray randomHue(float hue) {
        throw InertiaEngine.unsupported("randomHue");
    }

    @Override
    public NDArray randomColorJitter(float brightness, float contrast, float saturation, float hue) {
        throw InertiaEngine.unsupported("randomColorJitter");
    }

    @Override
    public NDList multiBoxTarget(NDList inputs, float iouThreshold, float ignoreLabel, float negativeMiningRatio,
            float negativeMiningThreshold, int minNegativeSamples) {
        throw InertiaEngine.unsupported("multiBoxTarget");
    }

    @Override
    public NDList multiBoxPrior(List<Float> sizes, List<Float> ratios, List<Float> steps, List<Float> offsets,
            boolean clip) {
        throw InertiaEngine.unsupported("multiBoxPrior");
    }

    @Override
    public NDList multiBoxDetection(NDList inputs, boolean clip, float threshold, int backgroundId,
            float nmsThreshold, boolean forceSuppress, int nmsTopK) {
        throw InertiaEngine.unsupported("multiBoxDetection");
    }

    // ------------------------------------------------------------------ indexing, where, stack, concat

    @Override
    public NDArrayIndexer getIndexer(NDManager manager) {
        if (!(manager instanceof InertiaNDManager m)) {
            throw new IllegalArgumentException("getIndexer needs a manager of the " + InertiaEngine.ENGINE_NAME
                    + " engine");
        }
        return new InertiaIndexer(m);
    }

    @Override
    public NDArray where(NDArray condition, NDArray other) {
        InertiaNDArray condIn = c("where", "condition", condition);
        InertiaNDArray o = c("where", "other", other);
        InertiaNDArray cond = leadingMask(condIn, array.getShape().dimension() >= o.getShape().dimension()
                ? array.getShape() : o.getShape());
        DataType t = Dt.promote(array.getDataType(), o.getDataType());
        Shape s = Dt.broadcast("where", Dt.broadcast("where", cond.getShape(), array.getShape()), o.getShape());
        InertiaNDArray out = array.mgr().zeros(s, t);
        try (InertiaNDArray c1 = (InertiaNDArray) cond.toType(DataType.BOOLEAN, false).broadcast(s);
             InertiaNDArray a1 = (InertiaNDArray) array.broadcast(s);
             InertiaNDArray b1 = (InertiaNDArray) o.broadcast(s)) {
            long n = s.size();
            boolean f = Dt.isFloat(t);
            for (long i = 0; i < n; i++) {
                InertiaNDArray src = c1.getL(i) != 0 ? a1 : b1;
                if (f) {
                    Dt.putD(out.seg(), t, i, src.getD(i));
                } else {
                    Dt.putL(out.seg(), t, i, src.getL(i));
                }
            }
        }
        if (Grad.active(array, o)) {
            Grad.record(out, "where", new InertiaNDArray[] {array, o}, g -> {
                NDArray m = cond.toType(g.getDataType(), false);
                return new NDArray[] {Grad.reduceTo(g.mul(m), array.getShape()),
                    Grad.reduceTo(g.mul(m.neg().add(1)), o.getShape())};
            });
        }
        return out;
    }

    /**
     * DJL's condition of lower rank that matches the leading dimensions of the values selects along them (a
     * boolean per row), as MXNet's where does: it gets trailing 1-dimensions.
     */
    static InertiaNDArray leadingMask(InertiaNDArray cond, Shape target) {
        Shape cs = cond.getShape();
        int k = cs.dimension();
        int r = target.dimension();
        if (k == 0 || k >= r || !target.slice(0, k).equals(cs) || target.slice(r - k).equals(cs)) {
            return cond;
        }
        long[] d = new long[r];
        java.util.Arrays.fill(d, 1);
        System.arraycopy(cs.getShape(), 0, d, 0, k);
        return (InertiaNDArray) cond.reshape(new Shape(d));
    }

    @Override
    public NDArray stack(NDList arrays, int axis) {
        NDList all = new NDList();
        all.add(array);
        all.addAll(arrays);
        int r = array.getShape().dimension();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) {
            throw new IllegalArgumentException("stack: axis " + axis + " is out of range for rank " + r);
        }
        NDList expanded = new NDList();
        for (NDArray x : all) {
            if (!x.getShape().equals(array.getShape())) {
                throw new IllegalArgumentException("stack: all arrays need shape " + array.getShape() + ", got "
                        + x.getShape());
            }
            expanded.add(x.expandDims(a));
        }
        try {
            InertiaNDArray first = (InertiaNDArray) expanded.get(0);
            return first.getNDArrayInternal().concat(expanded.subNDList(1), a);
        } finally {
            expanded.close();
        }
    }

    @Override
    public NDArray concat(NDList arrays, int axis) {
        List<InertiaNDArray> all = new java.util.ArrayList<>();
        all.add(array);
        for (NDArray x : arrays) {
            all.add(c("concat", "array", x));
        }
        Shape s0 = array.getShape();
        int r = s0.dimension();
        if (r == 0) {
            throw new IllegalArgumentException("concat: scalars cannot be concatenated");
        }
        int a = Dt.axis("concat", axis, r);
        DataType t = array.getDataType();
        long total = 0;
        for (InertiaNDArray x : all) {
            Shape s = x.getShape();
            if (s.dimension() != r) {
                throw new IllegalArgumentException("concat: arrays must have the same rank, got " + s0 + " and " + s);
            }
            for (int i = 0; i < r; i++) {
                if (i != a && s.get(i) != s0.get(i)) {
                    throw new IllegalArgumentException("concat: shapes " + s0 + " and " + s + " differ outside axis "
                            + a);
                }
            }
            t = Dt.promote(t, x.getDataType());
            total += s.get(a);
        }
        long[] od = s0.getShape().clone();
        od[a] = total;
        InertiaNDArray out = array.mgr().zeros(new Shape(od), t);
        long outer = s0.slice(0, a).size();
        long inner = s0.slice(a + 1).size();
        int es = Dt.size(t);
        long pos = 0;
        for (InertiaNDArray x : all) {
            long len = x.getShape().get(a);
            InertiaNDArray xc = x.getDataType() == t ? x : x.convert(t);
            for (long o = 0; o < outer; o++) {
                MemorySegment.copy(xc.seg(), o * len * inner * es, out.seg(), (o * total + pos) * inner * es,
                        len * inner * es);
            }
            if (xc != x) {
                xc.close();
            }
            pos += len;
        }
        InertiaNDArray[] ins = all.toArray(new InertiaNDArray[0]);
        boolean any = false;
        for (InertiaNDArray x : ins) {
            any |= Grad.active(x);
        }
        if (any) {
            long[] bounds = new long[ins.length - 1];
            long acc = 0;
            for (int i = 0; i < ins.length - 1; i++) {
                acc += ins[i].getShape().get(a);
                bounds[i] = acc;
            }
            Grad.record(out, "concat", ins, g -> g.split(bounds, a).toArray(new NDArray[0]));
        }
        return out;
    }

    @Override
    public NDArray getArray() {
        return array;
    }
}
