package org.inertia.nn.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Backends;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;

/**
 * A value in the autograd graph: an {@link NdArray} of data, and — for tensors that require a gradient
 * — the operation that produced it ({@link Node}) and, for leaves, an accumulated gradient.
 *
 * <p>Semantics follow PyTorch: {@link #backward()} from a scalar seeds ∂L/∂L = 1, walks the graph in
 * reverse topological order, and adds (+=) into the {@link #grad()} of every leaf that requires a
 * gradient; intermediate gradients are freed as soon as they are consumed, and unless
 * {@code retainGraph} the graph (and every buffer it saved) is released afterwards.
 *
 * <p>Memory: a tensor's data is off-heap and freed by {@link #close()}, never by the garbage collector.
 * Op results made inside a {@link TensorScope} are closed with it; results made outside any scope are the
 * caller's to close, and the leak detector ({@link TensorScope}, "Forgetting a scope") warns with their
 * creation site once too many of them are left open.
 */
public final class Tensor implements AutoCloseable {
    private final NdArray data;
    private final Backend backend;
    private final boolean requiresGrad;
    private Node gradFn; // null for leaves and after the graph is released
    private NdArray grad; // leaves (and non-leaves with retainGrad), allocated on first accumulation
    private boolean retainsGrad; // a non-leaf that keeps its gradient, as PyTorch's retain_grad()
    private boolean gradReceived; // a backward pass added to grad since the last zeroGrad()
    private boolean graphReleased; // an op result whose graph a backward already freed
    private boolean closed;
    private long unscopedBytes; // off-heap bytes charged to the LeakDetector while no scope owns this result
    private boolean leakSampled; // the LeakDetector recorded where this tensor was made

    private Tensor(NdArray data, Backend backend, boolean requiresGrad, Node gradFn) {
        this.data = data;
        this.backend = backend;
        this.requiresGrad = requiresGrad;
        this.gradFn = gradFn;
    }

    /**
     * A trainable leaf (requires a gradient) that takes ownership of {@code data}.
     *
     * @param data the parameter's values; closed when the tensor is
     * @return a new leaf tensor the caller closes (not registered with any scope)
     */
    public static Tensor parameter(NdArray data) {
        return new Tensor(data, Backends.get(), true, null);
    }

    /**
     * A leaf that needs no gradient (inputs, labels), taking ownership of {@code data}.
     *
     * @param data the values; closed when the tensor is
     * @return a new leaf tensor the caller closes (not registered with any scope)
     */
    public static Tensor constant(NdArray data) {
        return new Tensor(data, Backends.get(), false, null);
    }

    /**
     * The result of an op: records {@code node} if grad mode is on and any input requires a gradient,
     * and registers with the current {@link TensorScope}.
     *
     * @param data the op's output values; the tensor takes ownership
     * @param backend the backend that computed them (and will run the backward)
     * @param node the op's graph node (released here if no gradient is tracked)
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     * @throws IllegalArgumentException if {@code node} is a {@link MultiOutputNode}
     * @throws NumericAnomalyException if {@link AnomalyMode} is on and {@code data} holds a NaN or infinity
     */
    public static Tensor result(NdArray data, Backend backend, Node node) {
        if (node instanceof MultiOutputNode) {
            throw new IllegalArgumentException(node.name() + " has several outputs: make them with Tensor.results");
        }
        return results(new NdArray[] {data}, backend, node)[0];
    }

    /**
     * The results of an op with several outputs (one {@link MultiOutputNode}), in output order; each is
     * registered with the current {@link TensorScope}. The graph is recorded as for {@link #result}.
     *
     * @param data the op's outputs, one array per output; the tensors take ownership
     * @param backend the backend that computed them
     * @param node the op's graph node, shared by all outputs
     * @return new tensors, one per output, each owned like a {@link #result}
     * @throws NumericAnomalyException if {@link AnomalyMode} is on and an output holds a NaN or infinity
     */
    public static Tensor[] results(NdArray[] data, Backend backend, MultiOutputNode node) {
        return results(data, backend, (Node) node);
    }

    private static Tensor[] results(NdArray[] data, Backend backend, Node node) {
        if (AnomalyMode.isEnabled()) {
            try {
                AnomalyMode.checkForward(node, data);
            } catch (NumericAnomalyException e) {
                node.release();
                for (NdArray d : data) {
                    d.close();
                }
                throw e;
            }
        }
        boolean track = false;
        if (GradMode.isEnabled()) {
            for (Tensor in : node.inputs()) {
                track |= in.requiresGrad;
            }
        }
        if (!track) {
            node.release();
        }
        Tensor[] out = new Tensor[data.length];
        for (int j = 0; j < data.length; j++) {
            out[j] = new Tensor(data[j], backend, track, track ? node : null);
            if (!TensorScope.register(out[j])) {
                out[j].unscopedBytes = LeakDetector.track(out[j], data[j]);
            }
        }
        if (track) {
            node.setOutputs(out);
        }
        return out;
    }

    // ------------------------------------------------------------------ accessors

    /**
     * The tensor's values.
     *
     * @return the underlying array, owned by this tensor (do not close it)
     * @throws IllegalStateException if the tensor is closed
     */
    public NdArray data() {
        checkOpen();
        return data;
    }

    /**
     * The tensor's shape.
     *
     * @return the shape of {@link #data()}
     */
    public Shape shape() {
        return data.shape();
    }

    /**
     * The element type.
     *
     * @return the dtype of {@link #data()}
     */
    public Dtype dtype() {
        return data.dtype();
    }

    /**
     * The backend the tensor's ops run on.
     *
     * @return the backend given at creation ({@link Backends#get()} for leaves)
     */
    public Backend backend() {
        return backend;
    }

    /**
     * Whether gradients flow to this tensor: a parameter, or an op result recorded in the graph.
     *
     * @return true if backward passes reach this tensor
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Whether this tensor was created by the user rather than by an op (an op result with no recorded graph
     * also counts as a leaf).
     *
     * @return true if there is no {@link #gradFn()}
     */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * The op that produced this tensor.
     *
     * @return its node while its graph is alive, else {@code null}
     */
    public Node gradFn() {
        return gradFn;
    }

    /**
     * The accumulated gradient of a leaf (or of a non-leaf after {@link #retainGrad()}), or null before
     * the first backward that reaches it.
     *
     * @return the gradient (same shape as this tensor, owned by it), or {@code null}
     */
    public NdArray grad() {
        return grad;
    }

    /**
     * The gradient buffer of this leaf, created as zeros if it has none yet (PyTorch's
     * {@code p.grad = torch.zeros_like(p)}); later backward passes accumulate (+=) into this very buffer.
     * For handing (param, grad) pairs to an optimizer before the first backward.
     *
     * @return the gradient buffer, same shape and dtype, owned by this tensor
     * @throws IllegalStateException if this is not a leaf that requires grad, or is closed
     */
    public NdArray gradBuffer() {
        checkOpen();
        if (!requiresGrad || gradFn != null) {
            throw new IllegalStateException("gradBuffer() needs a leaf that requires grad, got " + this);
        }
        if (grad == null) {
            grad = NdArray.zeros(dtype(), shape());
        }
        return grad;
    }

    /**
     * Asks the next backward passes to keep ∂L/∂this in {@link #grad()} although this tensor is not a
     * leaf (PyTorch's {@code retain_grad()}); the gradient accumulates (+=) over backward passes like a
     * leaf's and is freed with the tensor. On a leaf this does nothing.
     *
     * @return this tensor
     * @throws IllegalStateException if the tensor does not require grad
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

    /**
     * Scalar value of a one-element tensor.
     *
     * @return the element, widened to double
     * @throws IllegalStateException if the tensor has more or fewer than one element
     */
    public double item() {
        if (data.numel() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, got shape " + shape());
        }
        return data.toDoubleArray()[0];
    }

    /** Sets the accumulated gradient to zero (keeps the buffer), like {@code zero_grad(set_to_none=False)}. */
    public void zeroGrad() {
        if (grad != null) {
            backend.elementwise().fill(grad, 0);
        }
        gradReceived = false;
    }

    /**
     * Whether a backward pass has added to this tensor's gradient since it was created or last
     * {@link #zeroGrad() zeroed}: PyTorch's {@code p.grad is not None} after {@code zero_grad()} (whose
     * default, {@code set_to_none=True}, frees the gradient). A parameter the loss does not reach keeps
     * {@code false}; {@code Module.receivedGradient()} hands this to an optimizer, which then skips it.
     *
     * @return true once a backward pass has reached this tensor since the last zeroGrad()
     */
    public boolean gradReceived() {
        return gradReceived;
    }

    /**
     * A leaf sharing this tensor's data that requires no gradient.
     *
     * @return a new tensor over a view of the same memory (writes show through), not registered with any
     *     scope; the caller closes it, and it must not outlive this tensor's data
     */
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
            backend.elementwise().fill(seed, 1);
            backward(seed, false);
        }
    }

    /**
     * Backward with seed ∂L/∂this = {@code seed} (same shape; not taken over). With {@code retainGraph}
     * the graph stays usable for another backward.
     *
     * @param seed ∂L/∂this, same shape as this tensor; read only, still the caller's
     * @param retainGraph whether to keep the graph (and its saved buffers) for another backward
     * @throws IllegalStateException if the tensor is closed or does not require grad
     * @throws IllegalArgumentException if the seed's shape differs
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
        if (AnomalyMode.isEnabled()) {
            AnomalyMode.checkSeed(seed);
        }
        NdArray seedCopy = NdArray.zeros(dtype(), shape());
        backend.blas1().copy(seed, seedCopy);
        if (gradFn == null) {
            if (graphReleased) {
                seedCopy.close();
                throw releasedGraph(this);
            }
            accumulate(seedCopy);
            return;
        }
        List<Node> order = nodeOrder(gradFn);
        Map<Tensor, NdArray> pending = new IdentityHashMap<>();
        List<Tensor> ends = new ArrayList<>(); // leaves (and released results) that receive a gradient
        pending.put(this, seedCopy);
        try {
            for (int k = order.size() - 1; k >= 0; k--) {
                Node node = order.get(k);
                Tensor[] outs = node.outputs();
                NdArray[] g = new NdArray[outs.length];
                boolean reached = false;
                for (int j = 0; j < outs.length; j++) {
                    g[j] = pending.remove(outs[j]);
                    if (g[j] != null) {
                        reached = true;
                        if (outs[j].retainsGrad) {
                            NdArray kept = NdArray.zeros(g[j].dtype(), g[j].shape());
                            backend.blas1().copy(g[j], kept);
                            outs[j].accumulate(kept);
                        }
                    }
                }
                try {
                    if (reached) {
                        node.backwardAll(backend, g, new Sink(node, pending, ends));
                    }
                } finally {
                    for (NdArray a : g) {
                        if (a != null) {
                            a.close();
                        }
                    }
                }
                if (!retainGraph) {
                    node.release();
                    for (Tensor o : outs) {
                        o.gradFn = null;
                        o.graphReleased = true;
                    }
                }
            }
            for (Tensor t : ends) {
                NdArray g = pending.remove(t);
                if (t.graphReleased) {
                    g.close();
                    throw releasedGraph(t);
                }
                t.accumulate(g);
            }
        } finally {
            for (NdArray left : pending.values()) {
                left.close();
            }
        }
    }

    private static IllegalStateException releasedGraph(Tensor t) {
        return new IllegalStateException("backward through a graph that was already released (tensor of shape "
                + t.shape() + "); pass retainGraph = true to the first backward to go through it twice");
    }

    /** Collects the gradients a node hands its inputs: summed per input until that input's turn. */
    private final class Sink implements Node.GradientSink {
        private final Node node;
        private final Tensor[] in;
        private final Map<Tensor, NdArray> pending;
        private final List<Tensor> ends;

        Sink(Node node, Map<Tensor, NdArray> pending, List<Tensor> ends) {
            this.node = node;
            this.in = node.inputs();
            this.pending = pending;
            this.ends = ends;
        }

        @Override
        public boolean wants(int i) {
            return in[i].requiresGrad;
        }

        @Override
        public NdArray accumulator(int i) {
            Tensor t = in[i];
            if (!t.requiresGrad || t.gradFn != null || t.graphReleased || t.closed || t.grad == null
                    || AnomalyMode.isEnabled()) {
                return null;
            }
            t.gradReceived = true; // the node adds its contribution into this buffer
            return t.grad;
        }

        @Override
        public void accept(int i, NdArray contribution) {
            if (!contribution.shape().equals(in[i].shape())) {
                contribution.close();
                throw new IllegalStateException(node.name() + " backward produced a gradient of shape "
                        + contribution.shape() + " for input " + i + " of shape " + in[i].shape());
            }
            if (!in[i].requiresGrad) {
                contribution.close();
                return;
            }
            if (AnomalyMode.isEnabled()) {
                try {
                    AnomalyMode.checkBackward(node, i, contribution);
                } catch (NumericAnomalyException e) {
                    contribution.close();
                    throw e;
                }
            }
            NdArray prev = pending.get(in[i]);
            if (prev == null) {
                pending.put(in[i], contribution);
                if (in[i].gradFn == null) {
                    ends.add(in[i]);
                }
            } else {
                backend.elementwise().add(prev, contribution, prev);
                contribution.close();
            }
        }
    }

    private void accumulate(NdArray g) {
        gradReceived = true;
        if (grad == null) {
            grad = g; // take over the buffer
        } else {
            backend.elementwise().add(grad, g, grad);
            g.close();
        }
    }

    /** The nodes reachable from {@code root} through live graph edges, each after the nodes of its inputs. */
    private static List<Node> nodeOrder(Node root) {
        List<Node> order = new ArrayList<>();
        Map<Node, Boolean> visited = new IdentityHashMap<>();
        Deque<Node> stack = new ArrayDeque<>();
        Deque<int[]> next = new ArrayDeque<>(); // next input index of the node at the same depth
        stack.push(root);
        next.push(new int[] {0});
        visited.put(root, true);
        while (!stack.isEmpty()) {
            Node n = stack.peek();
            int[] i = next.peek();
            Tensor[] in = n.inputs();
            if (i[0] < in.length) {
                Tensor t = in[i[0]++];
                Node p = t.gradFn;
                if (t.requiresGrad && p != null && visited.put(p, true) == null) {
                    stack.push(p);
                    next.push(new int[] {0});
                }
            } else {
                stack.pop();
                next.pop();
                order.add(n);
            }
        }
        return order;
    }

    // ------------------------------------------------------------------ lifetime

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tensor of shape " + data.shape() + " is closed (by close() or by the "
                    + "TensorScope that owned it; TensorScope.keep(tensor) moves a result out of its scope)");
        }
    }

    /**
     * Whether {@link #close()} has been called (by the caller or by the owning scope).
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The precondition every op checks of a tensor argument before it allocates anything: {@code t} is
     * non-null ({@code "add: b is null"}, {@link org.inertia.kernels.Checks#present}) and open
     * ({@code "add: b (tensor [2, 3]) is closed; ..."}, naming {@link TensorScope#keep}).
     *
     * @param op the op's name, for the message
     * @param name the argument's name, for the message
     * @param t the argument
     * @return {@code t}
     * @throws NullPointerException if {@code t} is null (as {@link org.inertia.kernels.Checks#present} throws)
     * @throws IllegalStateException if {@code t} or its data is closed
     */
    public static Tensor requireOpen(String op, String name, Tensor t) {
        org.inertia.kernels.Checks.present(op, name, t);
        if (t.closed || !t.data.isOpen()) {
            throw new IllegalStateException(op + ": " + name + " (tensor " + t.data.shape() + ") is closed; if its "
                    + "TensorScope closed it, move it out with TensorScope.keep(tensor) before the scope ends");
        }
        return t;
    }

    /** This op result just left every scope ({@link TensorScope#keep}): the leak detector watches it now. */
    void leftScope() {
        if (!closed && unscopedBytes == 0) {
            unscopedBytes = LeakDetector.track(this, data);
        }
    }

    /** The leak detector recorded this tensor's creation site. */
    void markLeakSampled() {
        leakSampled = true;
    }

    /** Frees the data (if owned), the gradient, and the graph node's saved buffers. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (unscopedBytes != 0) {
            LeakDetector.closed(this, unscopedBytes, leakSampled);
            unscopedBytes = 0;
        }
        data.close();
        if (grad != null) {
            grad.close();
            grad = null;
        }
        if (gradFn != null) {
            Node node = gradFn;
            gradFn = null;
            boolean siblingsOpen = false;
            for (Tensor o : node.outputs()) {
                siblingsOpen |= !o.closed && o.gradFn == node;
            }
            if (!siblingsOpen) {
                node.release(); // the last open output of the node frees what it saved
            }
        }
    }

    @Override
    public String toString() {
        return "Tensor(" + data + (requiresGrad ? ", requiresGrad" : "") + (gradFn != null ? ", " + gradFn.name() : "")
                + ")";
    }

    // ------------------------------------------------------------------ ops (PyTorch-style methods)

    /**
     * Elementwise this + other, with NumPy broadcasting ({@link org.inertia.nn.ops.Arithmetic}).
     *
     * @param other the right operand; broadcast against this tensor
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor add(Tensor other) {
        return org.inertia.nn.ops.Arithmetic.add(this, other);
    }

    /**
     * Elementwise this − other, with NumPy broadcasting ({@link org.inertia.nn.ops.Arithmetic}).
     *
     * @param other the right operand; broadcast against this tensor
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor sub(Tensor other) {
        return org.inertia.nn.ops.Arithmetic.sub(this, other);
    }

    /**
     * Elementwise this ⊙ other, with NumPy broadcasting ({@link org.inertia.nn.ops.Arithmetic}).
     *
     * @param other the right operand; broadcast against this tensor
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor mul(Tensor other) {
        return org.inertia.nn.ops.Arithmetic.mul(this, other);
    }

    /**
     * Elementwise this / other, with NumPy broadcasting ({@link org.inertia.nn.ops.Arithmetic}).
     *
     * @param other the right operand; broadcast against this tensor
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor div(Tensor other) {
        return org.inertia.nn.ops.Arithmetic.div(this, other);
    }

    /**
     * Matrix product this · other ({@link org.inertia.nn.ops.MatMul}): [M, K] · [K, N] → [M, N].
     *
     * @param other the right matrix, [K, N]
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor matmul(Tensor other) {
        return org.inertia.nn.ops.MatMul.apply(this, other);
    }

    /**
     * Elementwise tanh.
     *
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor tanh() {
        return org.inertia.nn.ops.Pointwise.tanh(this);
    }

    /**
     * Elementwise logistic sigmoid 1 / (1 + e^−x).
     *
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor sigmoid() {
        return org.inertia.nn.ops.Pointwise.sigmoid(this);
    }

    /**
     * Elementwise max(x, 0).
     *
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor relu() {
        return org.inertia.nn.ops.Pointwise.relu(this);
    }

    /**
     * Elementwise e^x.
     *
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor exp() {
        return org.inertia.nn.ops.Pointwise.exp(this);
    }

    /**
     * Elementwise natural logarithm.
     *
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor log() {
        return org.inertia.nn.ops.Pointwise.log(this);
    }

    /**
     * Elementwise −x.
     *
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor neg() {
        return org.inertia.nn.ops.Pointwise.neg(this);
    }

    /**
     * Sum along {@code axis} (the axis is removed).
     *
     * @param axis the axis; negative counts from the end
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor sum(int axis) {
        return org.inertia.nn.ops.Reduce.sum(this, axis);
    }

    /**
     * Sum of all elements, as a rank-0 tensor.
     *
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor sum() {
        return org.inertia.nn.ops.Reduce.sumAll(this);
    }

    /**
     * Mean of all elements, as a rank-0 tensor.
     *
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor mean() {
        return org.inertia.nn.ops.Reduce.meanAll(this);
    }

    /**
     * The index of the largest element along {@code axis}, as an I32 tensor with that axis removed and no
     * gradient ({@code torch.argmax(x, dim)}); e.g. the predicted classes of logits [N, K] are
     * {@code logits.argmax(1)}. See {@link org.inertia.nn.ops.Argmax}.
     *
     * @param axis the axis; negative counts from the end
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor argmax(int axis) {
        return org.inertia.nn.ops.Argmax.apply(this, axis);
    }

    /**
     * log softmax along {@code axis}: x − log Σ e^x ({@link org.inertia.nn.ops.LogSoftmax}).
     *
     * @param axis the axis; negative counts from the end
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor logSoftmax(int axis) {
        return org.inertia.nn.ops.LogSoftmax.apply(this, axis);
    }

    /**
     * The same elements in a new shape, row-major ({@link org.inertia.nn.ops.Shapes#reshape}).
     *
     * @param dims the new dimensions, same element count; one may be −1 (inferred)
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close) (a copy)
     */
    public Tensor reshape(int... dims) {
        return org.inertia.nn.ops.Shapes.reshape(this, dims);
    }

    /**
     * Axes {@code a} and {@code b} swapped, materialised contiguously.
     *
     * @param a the first axis
     * @param b the second axis
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor transpose(int a, int b) {
        return org.inertia.nn.ops.Shapes.transpose(this, a, b);
    }

    /**
     * Elements {@code start … end−1} along {@code axis} ({@link org.inertia.nn.ops.Shapes#slice}).
     *
     * @param axis the axis to slice
     * @param start first index, inclusive
     * @param end last index, exclusive; {@code start <= end <=} the size of the axis
     * @return a new tensor, owned by the current {@link TensorScope} (else the caller's to close)
     */
    public Tensor slice(int axis, int start, int end) {
        return org.inertia.nn.ops.Shapes.slice(this, axis, start, end);
    }
}
