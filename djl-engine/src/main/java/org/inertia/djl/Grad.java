package org.inertia.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bridge from DJL's recording semantics to Inertia's autograd (package-private): while a
 * {@link InertiaGradientCollector} is open, an operation with an input that carries a tensor (a leaf that requires
 * a gradient, or an earlier recorded result) records a {@link Node} on Inertia's graph. Its backward is written in
 * terms of this engine's own array operations (run with recording paused), so every DJL operation the engine
 * implements can be differentiated with the same code that computes it.
 */
final class Grad {
    private static final AtomicBoolean COLLECTING = new AtomicBoolean();
    private static final ThreadLocal<int[]> PAUSED = ThreadLocal.withInitial(() -> new int[1]);
    // by uid: arrays compare by content (DJL's equals), so no equality-based set may hold them
    private static final Map<String, WeakReference<InertiaNDArray>> LEAVES = new ConcurrentHashMap<>();

    private Grad() {
    }

    /** A backward rule: the gradients of the inputs (each of its input's shape, or null) given ∂L/∂out. */
    interface Rule {
        NDArray[] apply(InertiaNDArray gradOut);
    }

    private static final List<InertiaNDArray> DEFERRED = new ArrayList<>();

    static boolean begin() {
        return COLLECTING.compareAndSet(false, true);
    }

    static void end() {
        List<InertiaNDArray> toClose;
        synchronized (DEFERRED) {
            COLLECTING.set(false);
            toClose = new ArrayList<>(DEFERRED);
            DEFERRED.clear();
        }
        for (InertiaNDArray a : toClose) {
            a.closeNow();
        }
    }

    /** While a collector is open, queues {@code a} to be freed when it closes and returns true. */
    static boolean deferClose(InertiaNDArray a) {
        if (!COLLECTING.get()) {
            return false;
        }
        synchronized (DEFERRED) {
            if (!COLLECTING.get()) {
                return false;
            }
            DEFERRED.add(a);
            return true;
        }
    }

    static boolean recording() {
        return COLLECTING.get() && PAUSED.get()[0] == 0;
    }

    static boolean active(InertiaNDArray a) {
        return recording() && a.tensor != null && a.tensor.requiresGrad() && !a.tensor.isClosed();
    }

    static boolean active(InertiaNDArray a, InertiaNDArray b) {
        return active(a) || active(b);
    }

    static void registerLeaf(InertiaNDArray a) {
        LEAVES.put(a.getUid(), new WeakReference<>(a));
    }

    /** Zeroes the gradient of every open leaf array. */
    static void zeroLeaves() {
        for (Map.Entry<String, WeakReference<InertiaNDArray>> e : LEAVES.entrySet()) {
            InertiaNDArray a = e.getValue().get();
            if (a == null || a.isReleased()) {
                LEAVES.remove(e.getKey());
            } else {
                a.zeroGradNow();
            }
        }
    }

    /** Clears every gradient an optimizer update left to be zeroed lazily, before a backward pass adds to it. */
    static void settleLeaves() {
        for (WeakReference<InertiaNDArray> r : LEAVES.values()) {
            InertiaNDArray a = r.get();
            if (a != null && !a.isReleased()) {
                a.releaseGradSharers(); // the backward adds to the gradient buffers
                a.settleGrad();
            }
        }
    }

    /** Throws if an in-place operation would overwrite an array the recorded graph depends on. */
    static void checkInPlace(String op, InertiaNDArray a) {
        if (recording() && a.tensor != null && a.tensor.requiresGrad()) {
            throw new UnsupportedOperationException(op + " on an array that takes part in gradient recording is not "
                    + "supported by the " + InertiaEngine.ENGINE_NAME + " engine (use the out-of-place " + op.substring(0,
                    op.length() - 1) + ")");
        }
    }

    /** Pauses recording on this thread until the returned handle closes. */
    static AutoCloseable pause() {
        int[] p = PAUSED.get();
        p[0]++;
        return () -> p[0]--;
    }

    private static Tensor tensorOf(InertiaNDArray a) {
        if (a.tensor != null && !a.tensor.isClosed()) {
            return a.tensor;
        }
        return Tensor.constant(a.kernel());
    }

    /** The graph input standing for {@code a}: its tensor, or a constant over its data. */
    static Tensor tensorFor(InertiaNDArray a) {
        return tensorOf(a);
    }

    /** Records out as the result of {@code node} (whose inputs are {@link #tensorFor} of the op's inputs). */
    static void recordNode(InertiaNDArray out, Node node) {
        if (Dt.isFloat(out.getDataType())) {
            out.tensor = Tensor.result(out.kernel(), InertiaNDArray.be(), node);
        }
    }

    /** Records out = op(inputs) with the given backward rule. */
    static void record(InertiaNDArray out, String name, InertiaNDArray[] inputs, Rule rule) {
        if (!Dt.isFloat(out.getDataType())) {
            return;
        }
        Tensor[] ts = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            ts[i] = tensorOf(inputs[i]);
        }
        Node node = new RuleNode(name, ts, inputs, rule);
        Tensor t = Tensor.result(out.kernel(), InertiaNDArray.be(), node);
        out.tensor = t;
    }

    /** Gradient rules of the binary arithmetic ops. */
    static void binary(String name, InertiaNDArray.Bin op, InertiaNDArray a, InertiaNDArray b, InertiaNDArray out) {
        if (!Dt.isFloat(out.getDataType())) {
            return;
        }
        Shape sa = a.getShape();
        Shape sb = b.getShape();
        Rule rule = switch (op) {
            case ADD -> g -> new NDArray[] {reduceTo(g, sa), reduceTo(g, sb)};
            case SUB -> g -> new NDArray[] {reduceTo(g, sa), reduceTo(g.neg(), sb)};
            case MUL -> g -> new NDArray[] {reduceTo(g.mul(b), sa), reduceTo(g.mul(a), sb)};
            case DIV -> g -> new NDArray[] {reduceTo(g.div(b), sa), reduceTo(g.mul(a).div(b.square()).neg(), sb)};
            case POW -> g -> new NDArray[] {reduceTo(g.mul(b).mul(a.pow(b.sub(1))), sa),
                reduceTo(g.mul(out).mul(a.log()), sb)};
            case MAX, MIN -> g -> {
                NDArray mask = (op == InertiaNDArray.Bin.MAX ? a.gte(b) : a.lte(b)).toType(out.getDataType(), false);
                return new NDArray[] {reduceTo(g.mul(mask), sa), reduceTo(g.mul(mask.neg().add(1)), sb)};
            };
            case MOD -> g -> new NDArray[] {reduceTo(g, sa), reduceTo(g.mul(a.div(b).floor()).neg(), sb)};
            default -> throw InertiaEngine.unsupported("the gradient of " + name);
        };
        record(out, name, new InertiaNDArray[] {a, b}, rule);
    }

    /** Sums a broadcast gradient back to {@code target}'s shape. */
    static NDArray reduceTo(NDArray g, Shape target) {
        Shape s = g.getShape();
        if (s.equals(target)) {
            return g;
        }
        int r = s.dimension();
        int off = r - target.dimension();
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (i < off || (target.get(i - off) == 1 && s.get(i) != 1)) {
                axes.add(i);
            }
        }
        NDArray summed = g.sum(axes.stream().mapToInt(Integer::intValue).toArray(), true);
        return summed.reshape(target);
    }

    /** A graph node whose backward runs a {@link Rule} on the engine's arrays. */
    private static final class RuleNode extends Node {
        private final String name;
        private InertiaNDArray[] arrays;
        private Rule rule;

        RuleNode(String name, Tensor[] inputs, InertiaNDArray[] arrays, Rule rule) {
            super(inputs);
            this.name = name;
            this.arrays = arrays;
            this.rule = rule;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected void backward(Backend backend, NdArray gradOutput, GradientSink sink) {
            boolean any = false;
            for (int i = 0; i < arrays.length; i++) {
                any |= sink.wants(i);
            }
            if (!any) {
                return;
            }
            InertiaNDManager temp = InertiaNDManager.system().newSubManager();
            try (AutoCloseable p = pause(); temp) {
                NdArray g = gradOutput.isContiguous() && gradOutput.offset() == 0 ? gradOutput : gradOutput.copy();
                try {
                    DataType t = g.dtype() == Dtype.F32 ? DataType.FLOAT32 : DataType.FLOAT64;
                    MemorySegment seg = g.segment().asSlice(0, g.numel() * g.dtype().byteSize());
                    InertiaNDArray ga = InertiaNDArray.borrow(temp, seg, Dt.shape(g.shape().dims()), t);
                    NDArray[] grads = rule.apply(ga);
                    for (int i = 0; i < arrays.length; i++) {
                        if (!sink.wants(i) || grads[i] == null) {
                            continue;
                        }
                        InertiaNDArray gi = (InertiaNDArray) grads[i];
                        Dtype want = inputs()[i].dtype();
                        if (!gi.getShape().equals(Dt.shape(inputs()[i].shape().dims()))) {
                            throw new IllegalStateException(name + " backward produced a gradient of shape "
                                    + gi.getShape() + " for an input of shape " + inputs()[i].shape());
                        }
                        NdArray copy = NdArray.empty(want, inputs()[i].shape().dims()); // written entirely below
                        InertiaNDArray conv = gi.getDataType() == t ? gi : gi.convert(t);
                        if (copy.numel() > 0) {
                            InertiaNDArray.copy(conv.kernel(), copy);
                        }
                        sink.accept(i, copy);
                    }
                } finally {
                    if (g != gradOutput) {
                        g.close();
                    }
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected void release() {
            arrays = new InertiaNDArray[0];
            rule = null;
        }
    }
}
