package org.inertia.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A building block of a network, as {@code torch.nn.Module}: named parameters, named sub-modules, a
 * training/evaluation mode, and ownership of its parameters' memory ({@link #close()} frees them).
 * Subclasses register what they own in their constructor with {@link #parameter} and {@link #module}.
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private boolean closed;

    /** Registers a trainable parameter under {@code name} and returns it. */
    protected final Tensor parameter(String name, Tensor p) {
        if (!p.requiresGrad()) {
            throw new IllegalArgumentException("parameter " + name + " must require grad");
        }
        if (parameters.putIfAbsent(name, p) != null || children.containsKey(name)) {
            throw new IllegalArgumentException("name " + name + " is already registered");
        }
        return p;
    }

    /** Registers a sub-module under {@code name} and returns it. */
    protected final <M extends Module> M module(String name, M m) {
        if (children.putIfAbsent(name, m) != null || parameters.containsKey(name)) {
            throw new IllegalArgumentException("name " + name + " is already registered");
        }
        return m;
    }

    /** Every parameter of this module and its descendants, keyed by dotted path ({@code "block1.conv.weight"}). */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collect(prefix + k + ".", out));
    }

    /** Every parameter, in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Direct sub-modules, keyed by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Training mode (dropout active, batch norm uses and updates batch statistics). */
    public final Module train() {
        setTraining(true);
        return this;
    }

    /** Evaluation mode. */
    public final Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        children.values().forEach(m -> m.setTraining(on));
    }

    public final boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's accumulated gradient. */
    public final void zeroGrad() {
        parameters().forEach(Tensor::zeroGrad);
    }

    /** Frees every parameter and buffer of this module and its descendants. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parameters.values().forEach(Tensor::close);
        children.values().forEach(Module::close);
        releaseBuffers();
    }

    /** Frees non-parameter buffers (e.g. running statistics); override when a module owns some. */
    protected void releaseBuffers() {
    }
}
