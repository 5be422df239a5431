package org.inertia.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.kernels.cpu.CpuBackend;

/**
 * A value in the autograd graph: an {@link NdArray} of data, and — for tensors that require a gradient
 * — the operation that produced it ({@link Node}) and, for leaves, an accumulated gradient.
 *
 * <p>Semantics follow PyTorch: {@link #backward()} from a scalar seeds ∂L/∂L = 1, walks the graph in
 * reverse topological order, and adds (+=) into the {@link #grad()} of every leaf that requires a
 * gradient; intermediate gradients are freed as soon as they are consumed, and unless
 * {@code retainGraph} the graph (and every buffer it saved) is released afterwards.
 */
public final class Tensor implements AutoCloseable {
    private final NdArray data;
    private final Backend backend;
    private final boolean requiresGrad;
    private Node gradFn; // null for leaves and after the graph is released
    private NdArray grad; // leaves (and non-leaves with retainGrad), allocated on first accumulation
    private boolean retainsGrad; // a non-leaf that keeps its gradient, as PyTorch's retain_grad()
    private boolean graphReleased; // an op result whose graph a backward already freed
    private boolean closed;

    private Tensor(NdArray data, Backend backend, boolean requiresGrad, Node gradFn) {
        this.data = data;
        this.backend = backend;
        this.requiresGrad = requiresGrad;
        this.gradFn = gradFn;
    }

    /** A trainable leaf (requires a gradient) that takes ownership of {@code data}. */
    public static Tensor parameter(NdArray data) {
        return new Tensor(data, CpuBackend.get(), true, null);
    }

    /** A leaf that needs no gradient (inputs, labels), taking ownership of {@code data}. */
    public static Tensor constant(NdArray data) {
        return new Tensor(data, CpuBackend.get(), false, null);
    }

    /**
     * The result of an op: records {@code node} if grad mode is on and any input requires a gradient,
     * and registers with the current {@link TensorScope}.
     */
    public static Tensor result(NdArray data, Backend backend, Node node) {
        boolean track = false;
        if (GradMode.isEnabled()) {
            for (Tensor in : node.inputs()) {
                track |= in.requiresGrad;
            }
        }
        if (!track) {
            node.release();
        }
        Tensor t = new Tensor(data, backend, track, track ? node : null);
        TensorScope.register(t);
        return t;
    }

    // ------------------------------------------------------------------ accessors

    public NdArray data() {
        checkOpen();
        return data;
    }

    public Shape shape() {
        return data.shape();
    }

    public Dtype dtype() {
        return data.dtype();
    }

    public Backend backend() {
        return backend;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether this tensor was created by the user rather than by an op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The op that produced this tensor while its graph is alive, else null. */
    public Node gradFn() {
        return gradFn;
    }

    /**
     * The accumulated gradient of a leaf (or of a non-leaf after {@link #retainGrad()}), or null before
     * the first backward that reaches it.
     */
    public NdArray grad() {
        return grad;
    }

    /**
     * Asks the next backward passes to keep ∂L/∂this in {@link #grad()} although this tensor is not a
     * leaf (PyTorch's {@code retain_grad()}); the gradient accumulates (+=) over backward passes like a
     * leaf's and is freed with the tensor. On a leaf this does nothing. Returns this tensor.
     */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad() on a tensor that does not require grad (shape " + shape() + ")");
        }
        if (gradFn != null) {
            retainsGrad = true;
        }
        return this;
    }

    /** Scalar value of a one-element tensor. */
    public double item() {
        if (data.numel() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, got shape " + shape());
        }
        return data.toDoubleArray()[0];
    }

    /** Sets the accumulated gradient to zero (keeps the buffer), like {@code zero_grad(set_to_none=False)}. */
    public void zeroGrad() {
        if (grad != null) {
            backend.fill(grad, 0);
        }
    }

    /** A leaf sharing this tensor's data that requires no gradient. */
    public Tensor detach() {
        return new Tensor(data.view(), backend, false, null);
    }

    // ------------------------------------------------------------------ backward

    /** Backward from a one-element tensor with seed 1; the graph is released afterwards. */
    public void backward() {
        if (data.numel() != 1) {
            throw new IllegalStateException("backward() without a seed needs a one-element tensor, got shape "
                    + shape() + "; pass a seed gradient");
        }
        try (NdArray seed = NdArray.zeros(dtype(), shape())) {
            backend.fill(seed, 1);
            backward(seed, false);
        }
    }

    /**
     * Backward with seed ∂L/∂this = {@code seed} (same shape; not taken over). With {@code retainGraph}
     * the graph stays usable for another backward.
     */
    public void backward(NdArray seed, boolean retainGraph) {
        checkOpen();
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a tensor that does not require grad (shape " + shape() + ")");
        }
        if (!seed.shape().equals(shape())) {
            throw new IllegalArgumentException("seed gradient has shape " + seed.shape() + " but the tensor has shape "
                    + shape());
        }
        List<Tensor> order = topologicalOrder();
        Map<Tensor, NdArray> pending = new IdentityHashMap<>();
        NdArray seedCopy = NdArray.zeros(dtype(), shape());
        backend.copy(seed, seedCopy);
        pending.put(this, seedCopy);
        for (int k = order.size() - 1; k >= 0; k--) {
            Tensor t = order.get(k);
            NdArray g = pending.remove(t);
            if (g == null) {
                continue; // no path from the root carries a gradient here
            }
            if (t.gradFn == null) {
                if (t.graphReleased) {
                    g.close();
                    for (NdArray left : pending.values()) {
                        left.close();
                    }
                    throw new IllegalStateException("backward through a graph that was already released (tensor of shape "
                            + t.shape() + "); pass retainGraph = true to the first backward to go through it twice");
                }
                t.accumulate(g);
                continue;
            }
            if (t.retainsGrad) {
                NdArray kept = NdArray.zeros(g.dtype(), g.shape());
                backend.copy(g, kept);
                t.accumulate(kept);
            }
            Node node = t.gradFn;
            Tensor[] in = node.inputs();
            node.backward(backend, g, new Node.GradientSink() {
                @Override
                public boolean wants(int i) {
                    return in[i].requiresGrad;
                }

                @Override
                public void accept(int i, NdArray contribution) {
                    if (!contribution.shape().equals(in[i].shape())) {
                        contribution.close();
                        throw new IllegalStateException(node.name() + " backward produced a gradient of shape "
                                + contribution.shape() + " for an input of shape " + in[i].shape());
                    }
                    if (!in[i].requiresGrad) {
                        contribution.close();
                        return;
                    }
                    NdArray prev = pending.get(in[i]);
                    if (prev == null) {
                        pending.put(in[i], contribution);
                    } else {
                        backend.add(prev, contribution, prev);
                        contribution.close();
                    }
                }
            });
            g.close();
            if (!retainGraph) {
                node.release();
                t.gradFn = null;
                t.graphReleased = true;
            }
        }
        for (NdArray left : pending.values()) {
            left.close();
        }
    }

    private void accumulate(NdArray g) {
        if (grad == null) {
            grad = g; // take over the buffer
        } else {
            backend.add(grad, g, grad);
            g.close();
        }
    }

    /** Tensors reachable from this one through live graph edges, inputs before the ops that use them. */
    private List<Tensor> topologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>(); // {tensor, next input index}
        stack.push(new Object[] {this, 0});
        visited.put(this, true);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int i = (Integer) top[1];
            Tensor[] in = t.gradFn == null ? new Tensor[0] : t.gradFn.inputs();
            if (i < in.length) {
                top[1] = i + 1;
                Tensor next = in[i];
                if (next.requiresGrad && visited.put(next, true) == null) {
                    stack.push(new Object[] {next, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    // ------------------------------------------------------------------ lifetime

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tensor of shape " + data.shape() + " is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Frees the data (if owned), the gradient, and the graph node's saved buffers. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        data.close();
        if (grad != null) {
            grad.close();
            grad = null;
        }
        if (gradFn != null) {
            gradFn.release();
            gradFn = null;
        }
    }

    @Override
    public String toString() {
        return "Tensor(" + data + (requiresGrad ? ", requiresGrad" : "") + (gradFn != null ? ", " + gradFn.name() : "")
                + ")";
    }

    // ------------------------------------------------------------------ ops (PyTorch-style methods)

    public Tensor add(Tensor other) {
        return org.inertia.nn.ops.Arithmetic.add(this, other);
    }

    public Tensor sub(Tensor other) {
        return org.inertia.nn.ops.Arithmetic.sub(this, other);
    }

    public Tensor mul(Tensor other) {
        return org.inertia.nn.ops.Arithmetic.mul(this, other);
    }

    public Tensor div(Tensor other) {
        return org.inertia.nn.ops.Arithmetic.div(this, other);
    }

    public Tensor matmul(Tensor other) {
        return org.inertia.nn.ops.MatMul.apply(this, other);
    }

    public Tensor tanh() {
        return org.inertia.nn.ops.Pointwise.tanh(this);
    }

    public Tensor sigmoid() {
        return org.inertia.nn.ops.Pointwise.sigmoid(this);
    }

    public Tensor relu() {
        return org.inertia.nn.ops.Pointwise.relu(this);
    }

    public Tensor exp() {
        return org.inertia.nn.ops.Pointwise.exp(this);
    }

    public Tensor log() {
        return org.inertia.nn.ops.Pointwise.log(this);
    }

    public Tensor neg() {
        return org.inertia.nn.ops.Pointwise.neg(this);
    }

    /** Sum along {@code axis} (the axis is removed). */
    public Tensor sum(int axis) {
        return org.inertia.nn.ops.Reduce.sum(this, axis);
    }

    /** Sum of all elements, as a rank-0 tensor. */
    public Tensor sum() {
        return org.inertia.nn.ops.Reduce.sumAll(this);
    }

    /** Mean of all elements, as a rank-0 tensor. */
    public Tensor mean() {
        return org.inertia.nn.ops.Reduce.meanAll(this);
    }

    public Tensor logSoftmax(int axis) {
        return org.inertia.nn.ops.LogSoftmax.apply(this, axis);
    }

    public Tensor reshape(int... dims) {
        return org.inertia.nn.ops.Shapes.reshape(this, dims);
    }

    public Tensor transpose(int a, int b) {
        return org.inertia.nn.ops.Shapes.transpose(this, a, b);
    }

    public Tensor slice(int axis, int start, int end) {
        return org.inertia.nn.ops.Shapes.slice(this, axis, start, end);
    }
}
