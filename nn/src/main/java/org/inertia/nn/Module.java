package org.inertia.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.optim.ParameterSource;
import org.inertia.optim.Params;

/**
 * A building block of a network, as {@code torch.nn.Module}: named parameters, named buffers (state
 * that is not trained, such as batch norm's running statistics), named random generators (the source
 * of a module's run-time randomness, such as dropout's), named sub-modules, a training/evaluation mode,
 * and ownership of its parameters' and buffers' memory ({@link #close()} frees them). Subclasses
 * register what they own in their constructor with {@link #parameter}, {@link #buffer},
 * {@link #generator} and {@link #module}; one name space holds all four. Parameters, buffers and
 * generators together are what a checkpoint must store to resume the module exactly.
 *
 * <p>A module is a {@link ParameterSource}: {@code optimizer.addGroup(hyper, model)} trains all of its
 * parameters.
 */
public abstract class Module implements AutoCloseable, ParameterSource {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, NdArray> buffers = new LinkedHashMap<>();
    private final Map<String, RandomGenerator> generators = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private boolean closed;

    /** Creates a module with nothing registered, in training mode. */
    public Module() {
    }

    /**
     * Registers a trainable parameter under {@code name} and returns it.
     *
     * @param name the name, unique among this module's parameters, buffers, generators and children; non-empty
     * @param p a tensor that requires grad; the module takes ownership
     * @return {@code p}
     * @throws IllegalArgumentException if {@code p} does not require grad or the name is empty or taken
     */
    protected final Tensor parameter(String name, Tensor p) {
        if (!p.requiresGrad()) {
            throw new IllegalArgumentException("parameter " + name + " must require grad");
        }
        claim(name);
        parameters.put(name, p);
        return p;
    }

    /**
     * Registers a non-trainable buffer under {@code name}, taking ownership (closed with the module).
     *
     * @param name the name, unique within this module; non-empty
     * @param b the buffer; the module takes ownership
     * @return {@code b}
     * @throws IllegalArgumentException if the name is empty or taken
     */
    protected final NdArray buffer(String name, NdArray b) {
        java.util.Objects.requireNonNull(b, "buffer " + name);
        claim(name);
        buffers.put(name, b);
        return b;
    }

    /**
     * Registers the generator behind this module's run-time randomness under {@code name}.
     *
     * @param <G> the generator's type
     * @param name the name, unique within this module; non-empty
     * @param g the generator (its state is saved in checkpoints)
     * @return {@code g}
     * @throws IllegalArgumentException if the name is empty or taken
     */
    protected final <G extends RandomGenerator> G generator(String name, G g) {
        java.util.Objects.requireNonNull(g, "generator " + name);
        claim(name);
        generators.put(name, g);
        return g;
    }

    /**
     * Registers a sub-module under {@code name} and returns it.
     *
     * @param <M> the sub-module's type
     * @param name the name, unique within this module; non-empty
     * @param m the sub-module; closed with this module
     * @return {@code m}
     * @throws IllegalArgumentException if the name is empty or taken
     */
    protected final <M extends Module> M module(String name, M m) {
        java.util.Objects.requireNonNull(m, "module " + name);
        claim(name);
        children.put(name, m);
        return m;
    }

    private void claim(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a registered name must be non-empty, got " + (name == null ? "null" : "''"));
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || generators.containsKey(name)
                || children.containsKey(name)) {
            throw new IllegalArgumentException("name " + name + " is already registered");
        }
    }

    /**
     * Every parameter of this module and its descendants, keyed by dotted path ({@code "block1.conv.weight"}).
     *
     * @return a new unmodifiable map in registration order (depth first)
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collect(prefix + k + ".", out));
    }

    /**
     * Every buffer of this module and its descendants, keyed by dotted path ({@code "bn1.running_mean"}).
     *
     * @return a new unmodifiable map in registration order (depth first)
     */
    public final Map<String, NdArray> namedBuffers() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectBuffers(String prefix, Map<String, NdArray> out) {
        buffers.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collectBuffers(prefix + k + ".", out));
    }

    /**
     * Every generator of this module and its descendants, keyed by dotted path ({@code "2.rng"}).
     *
     * @return a new unmodifiable map in registration order (depth first)
     */
    public final Map<String, RandomGenerator> namedGenerators() {
        Map<String, RandomGenerator> out = new LinkedHashMap<>();
        collectGenerators("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectGenerators(String prefix, Map<String, RandomGenerator> out) {
        generators.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collectGenerators(prefix + k + ".", out));
    }

    /**
     * Every parameter, in registration order.
     *
     * @return a new list of this module's and its descendants' parameters
     */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Every parameter with its gradient buffer, as the optim library takes them: what PyTorch's
     * {@code optimizer = Adam(model.parameters())} does. Gradient buffers that do not exist yet are
     * created (zero) now, and backward accumulates into exactly these buffers, so the optimizer can be
     * built — and a checkpoint loaded into it — before the first backward.
     *
     * @return a new list of (data, gradient) pairs, one per parameter in registration order
     */
    @Override
    public final List<Params> optimizerParams() {
        List<Params> out = new ArrayList<>();
        for (Tensor p : parameters()) {
            out.add(new Params(p.data(), p.gradBuffer()));
        }
        return out;
    }

    /**
     * Direct sub-modules, keyed by name.
     *
     * @return an unmodifiable view, in registration order
     */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Training mode (dropout active, batch norm uses and updates batch statistics).
     *
     * @return this module
     */
    public final Module train() {
        setTraining(true);
        return this;
    }

    /**
     * Evaluation mode.
     *
     * @return this module
     */
    public final Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        children.values().forEach(m -> m.setTraining(on));
    }

    /**
     * Whether the module is in training mode.
     *
     * @return true in training mode (the default), false after {@link #eval()}
     */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Which of this module's (param, grad) pairs a backward pass has reached since the last
     * {@link #zeroGrad()}, for {@code optimizer.step(closure, model.receivedGradient())}: the optimizer then
     * skips the others, with no state update and no step count, as PyTorch's optimizers skip parameters
     * whose {@code grad is None} after {@code zero_grad()}. A pair that is not one of this module's
     * parameters (another model's, a flat copy) counts as having a gradient.
     *
     * @return a predicate over the pairs of {@link #optimizerParams()}, reading each parameter's
     *     {@link Tensor#gradReceived()} when asked
     */
    public final Predicate<Params> receivedGradient() {
        Map<NdArray, Tensor> byGrad = new IdentityHashMap<>();
        for (Tensor p : parameters()) {
            if (p.grad() != null) {
                byGrad.put(p.grad(), p);
            }
        }
        return pair -> {
            Tensor t = byGrad.get(pair.grad());
            return t == null || t.gradReceived();
        };
    }

    /** Zeroes every parameter's accumulated gradient. */
    public final void zeroGrad() {
        parameters().forEach(Tensor::zeroGrad);
    }

    /**
     * Frees every parameter and buffer of this module and its descendants. Idempotent; afterwards any
     * use of their data throws {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parameters.values().forEach(Tensor::close);
        buffers.values().forEach(NdArray::close);
        children.values().forEach(Module::close);
        releaseBuffers();
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public final boolean isClosed() {
        return closed;
    }

    /** Frees memory a subclass owns besides its registered parameters and buffers; none by default. */
    protected void releaseBuffers() {
    }
}
